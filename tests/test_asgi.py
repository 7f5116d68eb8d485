"""quiz.asgi, the application `make run` serves: sync views as in a sync worker, a live
game's event stream held open on the event loop."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.db.backends.signals import connection_created
from django.utils import timezone

from quiz.asgi import application
from quiz.live import game as live

pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine):
    """asyncio.run in a thread of its own: the browser tests leave a loop running in this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def scope(path: str, cookie: str = "") -> dict:
    headers = [(b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def get(path: str, cookie: str = "") -> tuple[int, bytes]:
    talk = ApplicationCommunicator(application, scope(path, cookie))
    await talk.send_input({"type": "http.request", "body": b""})
    start = await talk.receive_output(10)
    body = b""
    while True:
        message = await talk.receive_output(10)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await talk.wait(10)
    return start["status"], body


def session_cookie(client, user) -> str:
    client.force_login(user)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def test_sync_views_keep_one_database_connection_across_requests(client, student):
    cookie = session_cookie(client, student)
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    async def three_pages():
        return [await get(path, cookie) for path in ("/health/", "/quiz/", "/quiz/")]

    connection_created.connect(count)
    try:
        pages = run(three_pages())
    finally:
        connection_created.disconnect(count)

    assert [status for status, _body in pages] == [200, 200, 200]
    assert b"My quizzes" in pages[1][1]
    # Django's own ASGI handler opens one a request (a new thread each).
    assert len(opened) <= 1


def test_a_players_stream_stays_open_and_pushes_the_next_screen(
    client, live_set, classroom, teacher, student
):
    game = live.host(live_set, classroom, teacher, timezone.now())
    live.join(game, student, timezone.now())
    cookie = session_cookie(client, student)

    async def follow():
        talk = ApplicationCommunicator(application, scope(f"/live/{game.pk}/events/", cookie))
        await talk.send_input({"type": "http.request", "body": b""})
        start = await talk.receive_output(10)
        first = await talk.receive_output(10)
        await sync_to_async(live.advance, thread_sensitive=False)(
            game.pk, game.version, timezone.now()
        )
        second = await talk.receive_output(10)
        await talk.send_input({"type": "http.disconnect"})
        await talk.wait(10)
        return start, first, second

    start, first, second = run(follow())
    assert start["status"] == 200
    assert dict(start["headers"])[b"Content-Type"] == b"text/event-stream"
    assert f"id: {game.version}\nevent: screen\n".encode() in first["body"]
    assert f"id: {game.version + 1}\nevent: screen\n".encode() in second["body"]
    assert b"Question 1 of 3" in second["body"]
    assert second.get("more_body"), "the stream is still open"


def test_a_stream_is_404_for_someone_not_in_the_game(client, live_set, classroom, teacher, student):
    game = live.host(live_set, classroom, teacher, timezone.now())

    status, _body = run(get(f"/live/{game.pk}/events/", session_cookie(client, student)))

    assert status == 404
