"""Server-Sent Events: every screen of a game hears when the game's version changes.

Push state, not events: a stream only ever says "the game is at version N"; the
screen then fetches what version N looks like for it. A device that reconnects
(a reload, a tablet waking, Wi-Fi back) is told the current version at once, so
nothing needs replaying.

Each server process watches the versions of the games its streams follow with one
query every WATCH_SECONDS, whatever the number of streams, so any process (or any
other app server on the same database) may move a game on and every stream hears
of it: no broker, no channel layer.

Under WSGI (a sync worker, the test server) a stream cannot be held open without
holding a whole worker, so it sends the current version and ends; the browser's
EventSource then reconnects after `retry`, which makes it a slow poll.
"""

import asyncio
import logging
import weakref

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError, connection
from django.http import Http404, StreamingHttpResponse
from django.views.decorators.http import require_safe

from quiz.core.models import Attempt, LiveGame

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.1
KEEP_ALIVE_SECONDS = 15
RECONNECT_MS = 1000


def _versions(game_pks) -> dict[int, int] | None:
    try:
        return dict(LiveGame.objects.filter(pk__in=game_pks).values_list("pk", "version"))
    except DatabaseError:
        # The database went away (a restart): a fresh connection on the next look.
        log.warning("live: could not read game versions", exc_info=True)
        connection.close()
        return None


class Watcher:
    """One per process: the versions of the followed games, and a wake-up for waiters."""

    def __init__(self):
        self.followers: dict[int, int] = {}
        self.versions: dict[int, int] = {}
        self.changed = asyncio.Event()
        self.task: asyncio.Task | None = None

    def follow(self, game_pk: int) -> None:
        self.followers[game_pk] = self.followers.get(game_pk, 0) + 1
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._watch())

    def unfollow(self, game_pk: int) -> None:
        self.followers[game_pk] -= 1
        if not self.followers[game_pk]:
            del self.followers[game_pk]
            self.versions.pop(game_pk, None)

    async def _watch(self) -> None:
        # Its own thread (not the one the sync views share), so a busy page never
        # delays a broadcast.
        read = sync_to_async(_versions, thread_sensitive=False)
        while self.followers:
            versions = await read(list(self.followers))
            if versions is not None and versions != {pk: self.versions.get(pk) for pk in versions}:
                self.versions.update(versions)
                waking, self.changed = self.changed, asyncio.Event()
                waking.set()
            await asyncio.sleep(WATCH_SECONDS)

    async def next_version(self, game_pk: int, seen: int | None, timeout: float) -> int | None:
        """The game's version once it differs from `seen` (None on timeout)."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + timeout
        while True:
            version = self.versions.get(game_pk)
            if version is not None and version != seen:
                return version
            left = give_up - loop.time()
            if left <= 0:
                return None
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return None


_watchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Watcher]" = (
    weakref.WeakKeyDictionary()
)


def watcher() -> Watcher:
    """The watcher of the running event loop (a server process has one loop)."""
    loop = asyncio.get_running_loop()
    if loop not in _watchers:
        _watchers[loop] = Watcher()
    return _watchers[loop]


def _may_follow(user, game_pk) -> int | None:
    """The game's version if this user plays in it or hosts it, else None."""
    game = LiveGame.objects.filter(pk=game_pk).values_list("version", "host_id").first()
    if game is None:
        return None
    version, host_id = game
    if user.is_superuser or host_id == user.pk:
        return version
    if Attempt.objects.filter(live_game_id=game_pk, student=user).exists():
        return version
    return None


def message(version: int, retry_ms: int) -> str:
    return f"retry: {retry_ms}\nid: {version}\nevent: version\ndata: {version}\n\n"


@require_safe
async def events(request, pk):
    user = await request.auser()
    if not user.is_authenticated:
        raise Http404
    version = await sync_to_async(_may_follow)(user, pk)
    if version is None:
        raise Http404
    if not isinstance(request, ASGIRequest):
        body = [message(version, settings.LIVE_WSGI_RECONNECT_MS)]
        response = StreamingHttpResponse(body, content_type="text/event-stream")
    else:
        response = StreamingHttpResponse(_stream(pk, version), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    # A reverse proxy in front (nginx) must pass each message on as it comes.
    response["X-Accel-Buffering"] = "no"
    return response


async def _stream(game_pk: int, version: int):
    watching = watcher()
    watching.follow(game_pk)
    try:
        yield message(version, RECONNECT_MS)
        seen = version
        while True:
            newer = await watching.next_version(game_pk, seen, KEEP_ALIVE_SECONDS)
            if newer is None:
                # A comment line keeps proxies and sleeping Wi-Fi from closing the stream.
                yield ": still here\n\n"
                continue
            seen = newer
            yield message(newer, RECONNECT_MS)
    finally:
        watching.unfollow(game_pk)
