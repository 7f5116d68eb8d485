import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from quiz.live import game as live
from quiz.live import push


def run(coroutine):
    """asyncio.run in a thread of its own: the browser tests leave a loop running in this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.mark.django_db(transaction=True)
def test_a_stream_says_the_current_version_then_each_new_one(live_set, classroom, teacher):
    game = live.host(live_set, classroom, teacher, timezone.now())

    async def follow():
        stream = push._stream(game.pk, game.version)
        first = await anext(stream)
        # The teacher's Next, made by another process or thread: only the database knows.
        await sync_to_async(live.advance, thread_sensitive=False)(
            game.pk, game.version, timezone.now()
        )
        second = await asyncio.wait_for(anext(stream), 5)
        await stream.aclose()
        return first, second

    first, second = run(follow())
    assert first.startswith("retry: 1000\n") and f"data: {game.version}\n" in first
    assert f"id: {game.version + 1}\n" in second


def test_a_message_is_one_sse_event_naming_the_version():
    assert push.message(7, 1000) == "retry: 1000\nid: 7\nevent: version\ndata: 7\n\n"


@pytest.mark.django_db(transaction=True)
def test_the_watcher_stops_when_nobody_follows(live_set, classroom, teacher):
    game = live.host(live_set, classroom, teacher, timezone.now())

    async def follow_then_leave():
        stream = push._stream(game.pk, game.version)
        await anext(stream)
        watching = push.watcher()
        await stream.aclose()
        await asyncio.sleep(push.WATCH_SECONDS * 3)
        return watching

    watching = run(follow_then_leave())
    assert watching.followers == {} and watching.task.done()
