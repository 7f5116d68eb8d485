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
        stream = push._stream(game.pk, push.Follower(game.version))
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


@pytest.mark.django_db(transaction=True)
def test_a_players_stream_pushes_their_screen_for_each_new_version(
    live_set, classroom, teacher, student, other_student
):
    game = live.host(live_set, classroom, teacher, timezone.now())
    attempt = live.join(game, student, timezone.now())
    live.join(game, other_student, timezone.now())
    follower = push._may_follow(student, game.pk)

    async def follow():
        stream = push._stream(game.pk, follower)
        first = await anext(stream)
        await sync_to_async(live.advance, thread_sensitive=False)(
            game.pk, game.version, timezone.now()
        )
        second = await asyncio.wait_for(anext(stream), 5)
        await stream.aclose()
        return first, second

    first, second = run(follow())
    assert follower.attempt_pk == attempt.pk
    assert "event: screen\n" in first and "You are playing as ada" in first
    assert f"id: {game.version + 1}\nevent: screen\n" in second
    assert "live-answer" in second and "Question 1 of 3" in second


def test_a_screen_message_is_one_event_whatever_the_lines_of_its_html():
    html = "<section>\n  <p>One</p>\n\n  <p>Two</p>\n</section>\n"

    message = push.screen_message(4, html, 1000)

    assert message.startswith("retry: 1000\nid: 4\nevent: screen\n")
    assert message.endswith("\n\n") and message.count("\n\n") == 1
    data = [
        line.removeprefix("data: ") for line in message.splitlines() if line.startswith("data:")
    ]
    assert "\n".join(data) == html.strip()


def test_a_message_is_one_sse_event_naming_the_version():
    assert push.message(7, 1000) == "retry: 1000\nid: 7\nevent: version\ndata: 7\n\n"


@pytest.mark.django_db(transaction=True)
def test_the_watcher_stops_when_nobody_follows(live_set, classroom, teacher):
    game = live.host(live_set, classroom, teacher, timezone.now())

    async def follow_then_leave():
        stream = push._stream(game.pk, push.Follower(game.version))
        await anext(stream)
        watching = push.watcher()
        await stream.aclose()
        await asyncio.sleep(push.WATCH_SECONDS * 3)
        return watching

    watching = run(follow_then_leave())
    assert watching.followers == {} and watching.task.done()
