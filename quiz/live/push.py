"""Server-Sent Events: every screen of a game hears when the game's version changes.

Push state, not events: a player's stream sends the player's whole screen for
the game's current version (the event's id is the version); the host's and the
projector's say "the game is at version N" and their page fetches what that
looks like. A device that reconnects (a reload, a tablet waking, Wi-Fi back) is
sent the current state at once, so nothing needs replaying.

Each server process watches the versions of the games its streams follow with one
query every WATCH_SECONDS, whatever the number of streams, so any process (or any
other app server on the same database) may move a game on and every stream hears
of it: no broker, no channel layer. On a new version the process reads the game
once and draws the screens of all its players (quiz.live.screens), so 500
devices cost a few queries and the renders, not 500 requests.

Under WSGI (a sync worker, the test server) a stream cannot be held open without
holding a whole worker, so it sends the current version and ends; the browser's
EventSource then reconnects after `retry`, which makes it a slow poll.
"""

import asyncio
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.asgi import ASGIRequest
from django.db import DatabaseError, connection
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from quiz.core.models import Attempt, LiveGame
from quiz.live import game as live
from quiz.live import screens

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.05
KEEP_ALIVE_SECONDS = 15
RECONNECT_MS = 1000
WATCH_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-watch")


def _versions(game_pks) -> dict[int, int] | None:
    try:
        return dict(LiveGame.objects.filter(pk__in=game_pks).values_list("pk", "version"))
    except DatabaseError:
        # The database went away (a restart): a fresh connection on the next look.
        log.warning("live: could not read game versions", exc_info=True)
        connection.close()
        return None


def _draw(game_pk: int, attempt_pks: list[int]) -> tuple[int, dict[int, str]] | None:
    """(the version, each of these players' screens for it), read and drawn at once."""
    try:
        game = LiveGame.objects.select_related("question_set").get(pk=game_pk)
        board = screens.board(game)
        return game.version, screens.render_all(board, attempt_pks, timezone.now())
    except LiveGame.DoesNotExist:
        return None
    except DatabaseError:
        log.warning("live: could not draw the screens", exc_info=True)
        connection.close()
        return None


class Watcher:
    """One per process: the versions of the followed games, the screens drawn for the
    players following them, and a wake-up for the streams waiting."""

    def __init__(self):
        self.followers: dict[int, int] = {}
        self.players: dict[int, dict[int, int]] = {}  # game -> attempt -> streams
        self.versions: dict[int, int] = {}
        self.screens: dict[int, tuple[int, dict[int, str]]] = {}
        self.changed = asyncio.Event()
        self.task: asyncio.Task | None = None

    def follow(self, game_pk: int, attempt_pk: int | None = None) -> None:
        self.followers[game_pk] = self.followers.get(game_pk, 0) + 1
        if attempt_pk is not None:
            seats = self.players.setdefault(game_pk, {})
            seats[attempt_pk] = seats.get(attempt_pk, 0) + 1
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._watch())

    def unfollow(self, game_pk: int, attempt_pk: int | None = None) -> None:
        if attempt_pk is not None:
            seats = self.players[game_pk]
            seats[attempt_pk] -= 1
            if not seats[attempt_pk]:
                del seats[attempt_pk]
        self.followers[game_pk] -= 1
        if not self.followers[game_pk]:
            del self.followers[game_pk]
            for table in (self.players, self.versions, self.screens):
                table.pop(game_pk, None)

    async def _watch(self) -> None:
        # Its own thread (not the one the sync views share), so a busy page never
        # delays a broadcast; one thread, so one database connection a process.
        loop = asyncio.get_running_loop()
        while self.followers:
            versions = await loop.run_in_executor(WATCH_THREAD, _versions, list(self.followers))
            changed = False
            for pk, version in (versions or {}).items():
                if version == self.versions.get(pk):
                    continue
                changed = True
                seats = list(self.players.get(pk, ()))
                drawn = (
                    await loop.run_in_executor(WATCH_THREAD, _draw, pk, seats) if seats else None
                )
                if drawn is not None:
                    self.screens[pk] = drawn
                    version = max(version, drawn[0])
                if pk in self.followers:
                    self.versions[pk] = version
            if changed:
                waking, self.changed = self.changed, asyncio.Event()
                waking.set()
            await asyncio.sleep(WATCH_SECONDS)

    def screen_of(self, game_pk: int, attempt_pk: int, version: int) -> str | None:
        drawn_version, drawn = self.screens.get(game_pk, (None, {}))
        return drawn.get(attempt_pk) if drawn_version == version else None

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


@dataclass
class Follower:
    version: int
    attempt_pk: int | None = None  # a player's (None: the host, the school admin)
    screen: str = ""  # a player's screen now


def _may_follow(user, game_pk) -> Follower | None:
    """What the stream starts with, if this user plays in the game or hosts it."""
    game = LiveGame.objects.select_related("question_set").filter(pk=game_pk).first()
    if game is None:
        return None
    attempt = Attempt.objects.filter(live_game=game, student=user).first()
    if attempt is not None:
        game = live.settle(game, timezone.now())
        board = screens.board(game, for_attempt=attempt.pk)
        seat = board.seats[attempt.pk]
        screen = screens.render(board, seat, board.answers.get(attempt.pk), timezone.now())
        return Follower(game.version, attempt.pk, screen)
    if user.is_superuser or game.host_id == user.pk:
        return Follower(game.version)
    return None


def message(version: int, retry_ms: int) -> str:
    return f"retry: {retry_ms}\nid: {version}\nevent: version\ndata: {version}\n\n"


def screen_message(version: int, html: str, retry_ms: int) -> str:
    """The player's screen as one event: each of its lines a `data:` line."""
    data = "".join(f"data: {line}\n" for line in html.strip().splitlines())
    return f"retry: {retry_ms}\nid: {version}\nevent: screen\n{data}\n"


def _first(follower: Follower, retry_ms: int) -> str:
    if follower.attempt_pk is None:
        return message(follower.version, retry_ms)
    return screen_message(follower.version, follower.screen, retry_ms)


def _open(request, game_pk) -> Follower | None:
    user = get_user(request)
    return _may_follow(user, game_pk) if user.is_authenticated else None


@require_safe
async def events(request, pk):
    if isinstance(request, ASGIRequest):
        # In the watcher's thread, not the one the views queue for: a device that
        # reconnects while the class is answering does not wait behind the answers.
        loop = asyncio.get_running_loop()
        follower = await loop.run_in_executor(WATCH_THREAD, _open, request, pk)
    else:
        follower = await sync_to_async(_open)(request, pk)
    if follower is None:
        raise Http404
    if not isinstance(request, ASGIRequest):
        body = [_first(follower, settings.LIVE_WSGI_RECONNECT_MS)]
        response = StreamingHttpResponse(body, content_type="text/event-stream")
    else:
        response = StreamingHttpResponse(_stream(pk, follower), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    # A reverse proxy in front (nginx) must pass each message on as it comes.
    response["X-Accel-Buffering"] = "no"
    return response


async def _stream(game_pk: int, follower: Follower):
    watching = watcher()
    watching.follow(game_pk, follower.attempt_pk)
    try:
        yield _first(follower, RECONNECT_MS)
        seen = follower.version
        while True:
            newer = await watching.next_version(game_pk, seen, KEEP_ALIVE_SECONDS)
            if newer is None:
                # A comment line keeps proxies and sleeping Wi-Fi from closing the stream.
                yield ": still here\n\n"
                continue
            seen = newer
            screen = None
            if follower.attempt_pk is not None:
                screen = watching.screen_of(game_pk, follower.attempt_pk, newer)
            if screen is None:
                # The host's screen, or a player's not drawn (removed): the page asks.
                yield message(newer, RECONNECT_MS)
            else:
                yield screen_message(newer, screen, RECONNECT_MS)
    finally:
        watching.unfollow(game_pk, follower.attempt_pk)
