"""python -m quiz.bench.live — a live game for a whole year group, on loopback.

1. a scratch database (SQLite, or a PostgreSQL one it creates): one class of N
   players, a set of Q questions of mixed kinds, their teacher;
2. the app server(s) as `make run` starts them (gunicorn, the ASGI worker), on
   127.0.0.1 only; with --servers 2, two servers on two ports sharing the
   database, each player's stream and posts landing on either;
3. the teacher hosts the game; the host's screen and the projector follow it as
   the pages do (their event stream, their page on each new version, the
   players' list every second or two);
4. every player joins with the code (the join page, then its form), opens the
   game's event stream and, whenever the stream says the version changed,
   fetches its screen as live.js does;
5. each question: every player answers within the window (some send their answer
   twice, some drop their stream and come back), the answer chart, the
   leaderboard, the next question … the podium; --restart kills the whole
   server mid-game and starts it again: the game must carry on;
6. the database is checked against what every player was told.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from quiz.bench.http import Client, Response, TransportError
from quiz.bench.scratch import drop_postgres, forged_sessions, prepare_data_dir, use_scratch
from quiz.bench.stats import Phase, format_table, percentile

BASE_DIR = Path(__file__).resolve().parent.parent.parent

TARGETS = {"broadcast_p95_ms": 250.0, "broadcast_p99_ms": 500.0, "reconnect_p95_s": 3.0}

VERSION = re.compile(r'data-version="(\d+)"')
PHASE = re.compile(r'data-phase="(\w+)"')
POSITION = re.compile(r'name="position" value="(\d+)"')
OPTION = re.compile(r'name="option" value="(\d+)"')
PLACE = re.compile(r'name="place_(\d+)"')
GAME = re.compile(r"/live/(\d+)/")
CODE = re.compile(r'class="join-code"[^>]*>(\d+)<')
ANSWERED = re.compile(r"(\d+) of (\d+) players? ha(?:s|ve) answered")
# How long a dropped stream waits to reconnect: the `retry` the stream sends.
RETRY_SECONDS = 1.0


def parse_args(argv):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        prog="python -m quiz.bench.live", description=__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--players", type=int, default=500)
    add("--questions", type=int, default=20)
    add("--seconds-per-question", type=int, default=20)
    add("--think", type=float, nargs=2, default=(1.0, 10.0), metavar=("MIN", "MAX"))
    add("--join-window", type=float, default=20.0, help="players join within this many seconds")
    add("--pause", type=float, default=2.0, help="seconds the teacher shows the chart and board")
    add("--duplicates", type=float, default=0.10, help="share of answers sent twice")
    add("--reconnects", type=float, default=0.05, help="share of players dropping, each question")
    add("--offline", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    add("--servers", type=int, default=1, help="app servers sharing the database (1 or 2)")
    add("--workers", type=int, default=int(os.environ.get("WORKERS") or 2 * cores + 1))
    add("--worker-class", default=os.environ.get("WORKER_CLASS") or "uvicorn_worker.UvicornWorker")
    add("--restart", action="store_true", help="SIGKILL the whole server mid-game, start it again")
    add("--data-dir", default=str(BASE_DIR / ".data" / "bench-live"))
    add("--database-url", default=os.environ.get("DATABASE_URL", ""))
    add("--keep-database", action="store_true", help="do not drop a PostgreSQL database made here")
    add("--json", help="also write every figure to this file")
    add("--seed", type=int, default=1940)
    return parser.parse_args(argv)


@dataclass
class Screen:
    """What a device shows, read from its page."""

    version: int
    phase: str
    position: int = -1
    options: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    has_year: bool = False
    asks: bool = False  # the answer form is on the screen
    answered: bool = False  # "Your answer is in", or a right/wrong after it


def parse_screen(response: Response) -> Screen:
    if response.status != 200:
        raise ValueError(f"unexpected screen {response.status}: {response.body[:200]!r}")
    return parse_html(response.body)


def parse_html(body: str) -> Screen:
    version, phase = VERSION.search(body), PHASE.search(body)
    if not version or not phase:
        raise ValueError(f"unexpected screen: {body[:200]!r}")
    screen = Screen(int(version.group(1)), phase.group(1))
    position = POSITION.search(body)
    if position:
        screen.position = int(position.group(1))
    screen.asks = "live-answer" in body
    screen.options = [int(o) for o in OPTION.findall(body)]
    screen.places = [int(p) for p in PLACE.findall(body)]
    screen.has_year = 'name="year"' in body
    screen.answered = "answer-in" in body or (
        phase.group(1) == "reveal" and "No answer in time" not in body
    )
    return screen


class Servers:
    """One or more app servers on the same database: each request picks one."""

    def __init__(self, servers, rng):
        self.all = servers
        self.rng = rng
        self.generation = 0

    def port(self) -> int:
        return self.rng.choice(self.all).port

    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds() for s in self.all)

    def restart(self) -> float:
        started = time.monotonic()
        for server in self.all:
            server.crash_and_restart()
        self.generation += 1
        return time.monotonic() - started


class Device:
    """A screen that follows a game: its stream, the versions it heard and when."""

    def __init__(self, name: str, servers: Servers, cookies: dict, rng: random.Random):
        self.name = name
        self.servers = servers
        self.cookies = dict(cookies)
        self.rng = rng
        self.heard: dict[int, float] = {}  # version -> when this device first heard it
        self.latest = -1
        self.wake = asyncio.Event()
        self.offline_until = 0.0
        self.stream_errors = 0
        self.reconnect_started: float | None = None
        # (when the device began to reconnect, seconds until its screen was current)
        self.reconnects: list[tuple[float, float]] = []
        # When the stream was down: [from, until) (until None while still down).
        self.down: list[list[float | None]] = [[time.monotonic(), None]]
        self.stream_writer: asyncio.StreamWriter | None = None
        self.stop = False
        # The last screen the stream pushed (players' streams push theirs).
        self.pushed: Screen | None = None

    def client(self) -> Client:
        client = Client("127.0.0.1", self.servers.port(), timeout=30)
        client.cookies = self.cookies  # one cookie jar whichever server answers
        return client

    async def call(self, phase: Phase, label: str, method: str, path: str, **kwargs) -> Response:
        """One request; a dropped connection or a 5xx is sent again, as the page does."""
        give_up = time.monotonic() + 120
        while True:
            try:
                response = await self.client().request(method, path, **kwargs)
            except TransportError:
                phase.record_transport_error(label)
            else:
                phase.record(label, response.status, response.elapsed)
                if response.status < 500:
                    return response
            if time.monotonic() > give_up:
                raise RuntimeError(f"{self.name}: {method} {path} kept failing")
            await asyncio.sleep(self.rng.uniform(0.5, 1.5))

    async def follow(self, game_pk: int) -> None:
        """The event stream, reconnecting after `retry` whenever it drops."""
        while not self.stop:
            if time.monotonic() < self.offline_until:
                await asyncio.sleep(self.offline_until - time.monotonic())
                self.reconnect_started = time.monotonic()
            try:
                await self._stream(game_pk)
            except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError):
                self.stream_errors += 1
            if self.stop:
                return
            if time.monotonic() >= self.offline_until:
                await asyncio.sleep(RETRY_SECONDS)
                if self.reconnect_started is None:
                    self.reconnect_started = time.monotonic()

    async def _stream(self, game_pk: int) -> None:
        port = self.servers.port()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        self.stream_writer = writer
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            writer.write(
                (
                    f"GET /live/{game_pk}/events/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Accept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
                ).encode()
            )
            await writer.drain()
            status = await asyncio.wait_for(reader.readline(), 30)
            if not status.startswith(b"HTTP/1.1 200"):
                raise ValueError(f"{self.name}: stream answered {status!r}")
            # Server-sent events, one field a line, a blank line ending each; the
            # chunked encoding's size lines are fields this reader ignores.
            event, ident, data, arrived = "", None, [], None
            while True:
                line = await reader.readline()
                if not line:
                    return
                text = line.decode().rstrip("\r\n")
                if text:
                    # An event's time is when its first line arrived, not when this
                    # client (busy with 500 streams) got round to the rest.
                    arrived = arrived or time.monotonic()
                    name, _colon, value = text.partition(":")
                    value = value.removeprefix(" ")
                    if name == "event":
                        event = value
                    elif name == "id":
                        ident = int(value)
                    elif name == "data":
                        data.append(value)
                    continue
                if ident is not None and data:
                    if event == "screen":
                        self.pushed = parse_html("\n".join(data))
                    self._heard(ident, arrived)
                event, ident, data, arrived = "", None, [], None
        finally:
            self.stream_writer = None
            if self.down[-1][1] is not None:
                self.down.append([time.monotonic(), None])
            writer.close()

    def _heard(self, version: int, at: float) -> None:
        if self.down[-1][1] is None:
            self.down[-1][1] = at
        if version not in self.heard:
            self.heard[version] = at
        if version != self.latest:
            self.latest = version
        self.wake.set()

    def drop(self, seconds: float) -> None:
        """Wi-Fi gone for a moment: the stream breaks and nothing is sent meanwhile."""
        self.offline_until = time.monotonic() + seconds
        if self.stream_writer is not None:
            self.stream_writer.transport.abort()

    def was_down(self, at: float) -> bool:
        return any(start <= at and (end is None or at < end) for start, end in self.down)

    def heard_after(self, version: int) -> float | None:
        """When this device first heard a version newer than `version`."""
        times = [at for v, at in self.heard.items() if v > version]
        return min(times) if times else None


@dataclass
class Player:
    device: Device
    game_pk: int = 0
    joined: bool = False
    screen: Screen | None = None
    # position -> the response the server acknowledged
    acknowledged: dict[int, dict] = field(default_factory=dict)
    sent: dict[int, dict] = field(default_factory=dict)
    duplicates_sent: int = 0
    final: Screen | None = None
    problem: str = ""


class Game:
    """The teacher, the projector and the players of one game."""

    def __init__(self, args, school, servers: Servers, cookies: dict):
        self.args = args
        self.school = school
        self.servers = servers
        self.rng = random.Random(args.seed)
        self.teacher = Device("teacher", servers, cookies[school.teacher], self._rng())
        self.projector = Device("projector", servers, cookies[school.teacher], self._rng())
        self.players = [
            Player(Device(name, servers, cookies[name], self._rng())) for name in school.usernames
        ]
        self.joining = Phase("join")
        self.playing = Phase("game")
        self.moves: list[tuple[str, int, float]] = []  # (what, version before, sent at)
        self.restart_seconds: float | None = None
        self.restart_began: float | None = None
        self.restarted_at: float | None = None
        self.shown: dict[str, Screen] = {}  # what the teacher's and projector's pages show
        self.game_pk = 0
        self.code = ""
        self.over = False

    def _rng(self) -> random.Random:
        return random.Random(self.rng.random())

    # The teacher

    async def host(self) -> None:
        teacher = self.teacher
        page = await teacher.call(
            self.joining, "host form", "GET", f"/live/host/{self.school.set_pk}/"
        )
        if page.status != 200:
            raise RuntimeError(f"host form: {page.status}")
        response = await teacher.call(
            self.joining,
            "host",
            "POST",
            f"/live/host/{self.school.set_pk}/",
            form={"classroom": str(self.school.classroom_pk)},
        )
        found = GAME.search(response.header("location"))
        if response.status != 302 or not found:
            raise RuntimeError(f"could not host: {response.status} {response.body[:200]!r}")
        self.game_pk = int(found.group(1))
        board = await teacher.call(self.joining, "host page", "GET", f"/live/{self.game_pk}/host/")
        code = CODE.search(board.body)
        if not code:
            raise RuntimeError("no join code on the host page")
        self.code = code.group(1)

    async def _board(self, device: Device, path: str, label: str) -> Screen:
        response = await device.call(self.playing, label, "GET", path, htmx=True)
        return parse_screen(response)

    async def _screen_follows(self, device: Device, path: str, label: str) -> None:
        """The host's or the projector's page: fetched again on each version, and the
        players' list it polls (every 2 s in the lobby, every second on a question)."""
        last_poll = 0.0
        while not self.over:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(device.wake.wait(), 1.0)
            device.wake.clear()
            shown = self.shown.get(device.name)
            if device.latest != (shown.version if shown else None):
                shown = self.shown[device.name] = await self._board(device, path, label)
            every = 1.0 if shown and shown.phase == "question" else 2.0
            polls = shown and shown.phase in ("lobby", "question")
            if polls and time.monotonic() - last_poll > every:
                last_poll = time.monotonic()
                suffix = "?screen=1" if device is self.projector else ""
                await device.call(
                    self.playing, "players list", "GET", f"/live/{self.game_pk}/players/{suffix}"
                )

    async def _teacher_sees(self, wanted, timeout: float) -> Screen | None:
        """Wait until the teacher's screen shows what `wanted` says (None on timeout)."""
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            shown = self.shown.get("teacher")
            if shown is not None and wanted(shown):
                return shown
            await asyncio.sleep(0.05)
        return None

    async def _advance(self, what: str) -> None:
        """The teacher presses Next on the screen they see; once it shows the move."""
        while True:
            shown = await self._teacher_sees(lambda s: True, 60)
            sent = time.monotonic()
            self.moves.append((what, shown.version, sent))
            await self.teacher.call(
                self.playing,
                "next",
                "POST",
                f"/live/{self.game_pk}/next/",
                form={"version": str(shown.version)},
            )
            if await self._teacher_sees(lambda s, v=shown.version: s.version > v, 10):
                moved_by_itself = self.projector.heard.get(shown.version + 1, sent) < sent
                if moved_by_itself:
                    # The game had moved on (the last answer closed the question) before
                    # the Next: it was a no-op, not a move to time.
                    self.moves.pop()
                return
            # The screen was a version behind (the game moved on by itself): again.
            self.moves.pop()

    async def run_game(self) -> None:
        args = self.args
        # Everyone in (or the join window long past) before the first question.
        give_up = time.monotonic() + args.join_window + 60
        while sum(p.joined for p in self.players) < len(self.players):
            if time.monotonic() > give_up:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)
        for index in range(args.questions):
            await self._advance("question")
            if args.restart and index == args.questions // 2:
                await asyncio.sleep(args.think[1] / 2)
                self.restart_began = time.monotonic()
                self.restart_seconds = await asyncio.to_thread(self.servers.restart)
                self.restarted_at = time.monotonic()
            # Everyone answers in time: the question closes itself on the last answer.
            closed = await self._teacher_sees(
                lambda s: s.phase != "question", args.seconds_per_question + 4
            )
            if closed is None:
                await self._advance("show the answer")
            await asyncio.sleep(args.pause)
            await self._advance("leaderboard")
            await asyncio.sleep(args.pause)
        await self._advance("podium")
        await asyncio.sleep(2 * args.pause + 2)
        self.over = True

    # The players

    async def play(self, player: Player) -> None:
        device = player.device
        try:
            await asyncio.sleep(device.rng.uniform(0, self.args.join_window))
            await device.call(self.joining, "join page", "GET", f"/live/?code={self.code}")
            response = await device.call(
                self.joining, "join", "POST", "/live/", form={"code": self.code}
            )
            found = GAME.search(response.header("location"))
            if response.status != 302 or not found:
                raise RuntimeError(f"join answered {response.status}")
            player.game_pk = int(found.group(1))
            player.joined = True
            stream = asyncio.create_task(device.follow(player.game_pk))
            await self._follow_screens(player)
            device.stop = True
            if device.stream_writer is not None:
                device.stream_writer.transport.abort()
            stream.cancel()
        except (RuntimeError, ValueError) as error:
            player.problem = str(error)

    async def _follow_screens(self, player: Player) -> None:
        device = player.device
        answering: asyncio.Task | None = None
        while True:
            try:
                await asyncio.wait_for(device.wake.wait(), 5.0)
            except TimeoutError:
                if self.over:
                    return
                continue
            device.wake.clear()
            if time.monotonic() < device.offline_until:
                continue
            if player.screen is not None and device.latest == player.screen.version:
                if device.reconnect_started is not None:
                    self._reconnected(device)
                continue
            pushed = device.pushed
            if pushed is not None and pushed.version == device.latest:
                screen = player.screen = pushed
            else:
                screen = await self._fetch(player)
            if device.reconnect_started is not None:
                self._reconnected(device)
            if screen.phase == "ended":
                player.final = screen
                return
            unanswered = screen.asks and screen.position not in player.sent
            idle = answering is None or answering.done()
            if screen.phase == "question" and unanswered and idle:
                answering = asyncio.create_task(self._answer(player, screen))

    def _reconnected(self, device: Device) -> None:
        started = device.reconnect_started
        device.reconnects.append((started, time.monotonic() - started))
        device.reconnect_started = None

    async def _fetch(self, player: Player) -> Screen:
        response = await player.device.call(
            self.playing, "screen", "GET", f"/live/{player.game_pk}/", htmx=True
        )
        player.screen = parse_screen(response)
        return player.screen

    def _response_for(self, player: Player, screen: Screen) -> tuple[dict, dict]:
        rng = player.device.rng
        if screen.places:
            order = screen.places[:]
            rng.shuffle(order)
            return {f"place_{pk}": str(order.index(pk) + 1) for pk in screen.places}, {
                "order": order
            }
        if screen.has_year:
            year = rng.randint(1895, 1945)
            return {"year": str(year)}, {"year": year}
        option = rng.choice(screen.options)
        return {"option": str(option)}, {"option": option}

    async def _answer(self, player: Player, screen: Screen) -> None:
        device, args = player.device, self.args
        seen = time.monotonic()
        think = device.rng.uniform(*args.think)
        await asyncio.sleep(think)
        if device.rng.random() < args.reconnects:
            # Wi-Fi drops just before the answer goes: back a moment later.
            device.drop(device.rng.uniform(*args.offline))
            await asyncio.sleep(device.offline_until - time.monotonic())
        form, response = self._response_for(player, screen)
        left_ms = max(0, round(1000 * (args.seconds_per_question - (time.monotonic() - seen))))
        form.update(position=str(screen.position), left_ms=str(left_ms))
        player.sent[screen.position] = response
        path = f"/live/{player.game_pk}/answer/"
        reply = await device.call(self.playing, "answer", "POST", path, form=form, htmx=True)
        if device.rng.random() < args.duplicates:
            player.duplicates_sent += 1
            await device.call(self.playing, "answer (again)", "POST", path, form=form, htmx=True)
        shown = parse_screen(reply)
        if shown.answered:
            player.acknowledged[screen.position] = response

    # Figures

    def broadcast_latencies(self) -> tuple[dict[str, list[float]], int, int]:
        """Per move of the teacher's: seconds from their Next being sent to each device
        hearing the new version; with the deliveries to a device whose stream was down
        at the time (heard on reconnecting, not counted), and those never heard."""
        devices = [p.device for p in self.players if p.joined] + [self.projector]
        result: dict[str, list[float]] = {}
        down = missed = 0
        for what, version, sent in self.moves:
            for device in devices:
                at = device.heard_after(version)
                if device.was_down(sent):
                    down += 1
                elif at is None:
                    missed += 1
                else:
                    result.setdefault(what, []).append(at - sent)
        return result, down, missed

    def reconnect_seconds(self) -> tuple[list[float], list[float]]:
        """Seconds back to the current screen: the drops, and those of the restart."""
        drops, restart = [], []
        for player in self.players:
            for started, seconds in player.device.reconnects:
                during = self.restart_began is not None and (
                    self.restart_began <= started <= (self.restarted_at or started)
                )
                (restart if during else drops).append(seconds)
        return drops, restart


def verify(game: Game) -> dict:
    """Every acknowledged answer stored once, every question answered or timed out,
    scores that add up, and every player shown the podium."""
    from django.db.models import Count

    from quiz.core.models import Answer, Attempt

    counts = dict.fromkeys(
        [
            "players",
            "joined",
            "asked",
            "attempts",
            "sent",
            "acknowledged",
            "stored_once",
            "lost",
            "doubled",
            "timed_out",
            "score_mismatches",
            "saw_podium",
            "duplicates_sent",
        ],
        0,
    )
    problems: list[str] = []
    counts["players"] = len(game.players)
    attempts = {
        a.student.username: a
        for a in Attempt.objects.filter(live_game_id=game.game_pk).select_related("student")
    }
    counts["attempts"] = len(attempts)
    for player in game.players:
        name = player.device.name
        counts["joined"] += player.joined
        counts["asked"] += game.args.questions if player.joined else 0
        counts["duplicates_sent"] += player.duplicates_sent
        counts["sent"] += len(player.sent)
        counts["saw_podium"] += player.final is not None
        if player.problem:
            problems.append(f"{name}: {player.problem}")
        attempt = attempts.get(name)
        if attempt is None:
            if player.joined:
                problems.append(f"{name} joined but has no attempt")
            continue
        rows = list(Answer.objects.filter(attempt=attempt))
        per_position = Answer.objects.filter(attempt=attempt).values("position")
        for row in per_position.annotate(n=Count("pk")).filter(n__gt=1):
            counts["doubled"] += row["n"] - 1
        by_position = {a.position: a for a in rows}
        for position, response in player.acknowledged.items():
            counts["acknowledged"] += 1
            stored = by_position.get(position)
            if stored is None or stored.answered_at is None or stored.response != response:
                counts["lost"] += 1
                problems.append(f"{name}: acknowledged {response} at {position}, stored "
                                f"{stored and stored.response}")  # fmt: skip
            else:
                counts["stored_once"] += 1
        counts["timed_out"] += sum(a.timed_out for a in rows)
        if len(by_position) != game.args.questions:
            problems.append(f"{name}: {len(by_position)} of {game.args.questions} questions stored")
        if attempt.score != sum(a.points for a in rows):
            counts["score_mismatches"] += 1
            problems.append(f"{name}: score {attempt.score} is not the sum of the points")
    return {"counts": counts, "problems": problems}


async def run(args, school, servers: Servers, cookies) -> Game:
    game = Game(args, school, servers, cookies)
    await game.host()
    join_cpu = servers.cpu_seconds()
    followers = [
        asyncio.create_task(game.teacher.follow(game.game_pk)),
        asyncio.create_task(game.projector.follow(game.game_pk)),
        asyncio.create_task(
            game._screen_follows(game.teacher, f"/live/{game.game_pk}/host/", "host page")
        ),
        asyncio.create_task(
            game._screen_follows(game.projector, f"/live/{game.game_pk}/screen/", "projector page")
        ),
    ]
    players = [asyncio.create_task(game.play(p)) for p in game.players]
    while sum(p.joined or bool(p.problem) for p in game.players) < len(game.players):
        await asyncio.sleep(0.2)
    game.joining.finish()
    game.joining.server_cpu = servers.cpu_seconds() - join_cpu
    cpu, client_cpu = servers.cpu_seconds(), time.process_time()
    await game.run_game()
    # Every device has seen the podium (or has given up on it).
    await asyncio.wait(players, timeout=30)
    game.playing.finish()
    game.playing.server_cpu = None if args.restart else servers.cpu_seconds() - cpu
    game.playing.client_cpu = time.process_time() - client_cpu
    for device in (game.teacher, game.projector):
        device.stop = True
        if device.stream_writer is not None:
            device.stream_writer.transport.abort()
    for task in followers + players:
        task.cancel()
    await asyncio.gather(*followers, *players, return_exceptions=True)
    return game


def ms(values: list[float], fraction: float) -> float:
    return 1000 * percentile(sorted(values), fraction)


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = prepare_data_dir(Path(args.data_dir))
    made_database, is_postgres = use_scratch(data_dir, args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from quiz.bench.data import create_live_school
    from quiz.bench.server import Server, free_port

    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        school = create_live_school(args.players, args.questions, args.seconds_per_question)
        from django.conf import settings

        cookies = {
            name: {settings.SESSION_COOKIE_NAME: session}
            for name, session in forged_sessions([*school.usernames, school.teacher]).items()
        }
        database = (
            f"PostgreSQL {connection.settings_dict['NAME']}"
            if is_postgres
            else f"SQLite (WAL) {connection.settings_dict['NAME']}"
        )
        connections.close_all()
        servers = Servers(
            [
                Server(
                    port=free_port(),
                    env={},
                    log_path=data_dir / f"server-{n + 1}.log",
                    workers=args.workers,
                    worker_class=args.worker_class,
                )
                for n in range(args.servers)
            ],
            random.Random(args.seed),
        )
        print("History Quiz live game benchmark", flush=True)
        load = os.getloadavg()[0]
        if load > 0.5:
            print(f"  WARNING:  load average {load:.1f} before the start: figures pessimistic")
        ports = ", ".join(str(s.port) for s in servers.all)
        print(
            f"  servers:  {args.servers} × gunicorn {args.worker_class}, {args.workers} workers, "
            f"127.0.0.1 port {ports}; {os.cpu_count()} CPUs shared with this client"
        )
        print(f"  database: {database}")
        print(
            f"  game:     {args.players} players, {args.questions} questions × "
            f"{args.seconds_per_question} s, think {args.think[0]:g}–{args.think[1]:g} s, "
            f"{args.duplicates:.0%} answers sent twice, {args.reconnects:.0%} of players "
            f"dropping each question{', RESTART mid-game' if args.restart else ''}",
            flush=True,
        )
        for server in servers.all:
            server.start()
        try:
            game = asyncio.run(run(args, school, servers, cookies))
        finally:
            for server in servers.all:
                server.stop()
        result = verify(game)
    finally:
        connections.close_all()
        if made_database and not args.keep_database:
            drop_postgres(args.database_url)
    return report(args, game, result, database, data_dir)


def report(args, game: Game, result: dict, database: str, data_dir: Path) -> int:
    figures = {phase.name: phase.figures() for phase in (game.joining, game.playing)}
    for phase in (game.joining, game.playing):
        print("\n" + format_table(phase.name, figures[phase.name]))
    counts = result["counts"]
    joins = counts["joined"] / counts["players"] if counts["players"] else 0.0
    print(
        "\njoins: {joined} of {players} players joined ({attempts} attempts in the database)".format(
            **counts
        )
    )
    print(
        "answers: {sent} sent ({duplicates_sent} sent twice), {acknowledged} acknowledged, "
        "{stored_once} stored exactly once; lost {lost}, doubled {doubled}; "
        "{timed_out} timed out; score mismatches {score_mismatches}; "
        "{saw_podium} players saw the podium".format(**counts)
    )
    for problem in result["problems"][:20]:
        print("  ! " + problem)

    latencies, down, missed = game.broadcast_latencies()
    every = [s for values in latencies.values() for s in values]
    print(
        "\nbroadcast: the teacher's Next sent → each device has it (a player's stream pushes "
        "their screen; the projector's says the version)"
    )
    for what, values in [*latencies.items(), ("all", every)]:
        print(
            f"  {what:<16} {len(values):>6} deliveries  p50 {ms(values, 0.5):6.0f} ms  "
            f"p95 {ms(values, 0.95):6.0f} ms  p99 {ms(values, 0.99):6.0f} ms  "
            f"max {ms(values, 1.0):6.0f} ms"
        )
    print(
        f"  to a device offline at the time (heard on reconnecting): {down}; never heard: {missed}"
    )
    reconnects, after_restart = game.reconnect_seconds()
    for label, values in (("reconnects", reconnects), ("after the restart", after_restart)):
        if values:
            print(
                f"\n{label}: {len(values)}, back to the current screen (stream open, its version "
                f"heard, the screen fetched if it changed) p50 {ms(values, 0.5) / 1000:.2f} s, "
                f"p95 {ms(values, 0.95) / 1000:.2f} s, max {ms(values, 1.0) / 1000:.2f} s"
            )
    if game.restart_seconds is not None:
        print(f"restart: the server was killed and answering again in {game.restart_seconds:.1f} s")
    playing = game.playing
    if playing.server_cpu is not None:
        seconds = playing.seconds
        print(
            f"\nserver CPU: {playing.server_cpu:.1f} s over the {seconds:.0f} s game = "
            f"{playing.server_cpu / seconds / (os.cpu_count() or 1):.0%} of "
            f"{os.cpu_count()} cores; {1000 * playing.server_cpu / max(1, counts['sent']):.1f} ms "
            f"an answer, all screens included; this client {playing.client_cpu:.1f} s"
        )
    server_errors = sum(f["total"]["5xx"] for f in figures.values())
    correct = (
        counts["lost"] == 0
        and counts["doubled"] == 0
        and counts["score_mismatches"] == 0
        and not result["problems"]
        and server_errors == 0
    )
    p95, p99 = ms(every, 0.95), ms(every, 0.99)
    reconnect_p95 = ms(reconnects, 0.95) / 1000
    targets = [
        ("joins 100 %", joins == 1.0, f"{joins:.1%}"),
        ("0 lost, 0 doubled, scores add up, 0 5xx", correct, "see above"),
        ("every device heard every move", missed == 0, str(missed)),
        ("every player answered every question", counts["sent"] == counts["asked"],
         f"{counts['sent']} of {counts['asked']}"),
        ("broadcast p95 < 250 ms", p95 < TARGETS["broadcast_p95_ms"], f"{p95:.0f} ms"),
        ("broadcast p99 < 500 ms", p99 < TARGETS["broadcast_p99_ms"], f"{p99:.0f} ms"),
        ("reconnect p95 < 3 s", reconnect_p95 < TARGETS["reconnect_p95_s"],
         f"{reconnect_p95:.2f} s"),
    ]  # fmt: skip
    print("\ntargets:")
    for name, met, value in targets:
        print(f"  {'met   ' if met else 'MISSED'} {name}: {value}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "args": vars(args),
                    "database": database,
                    "figures": figures,
                    "check": result,
                    "broadcast_ms": {
                        k: sorted(1000 * v for v in vs) for k, vs in latencies.items()
                    },
                    "reconnect_s": sorted(reconnects),
                    "reconnect_after_restart_s": sorted(after_restart),
                    "targets": [{"name": n, "met": m, "value": v} for n, m, v in targets],
                },
                indent=2,
                default=str,
            )
        )
    print(f"\nserver logs: {data_dir}/server-*.log")
    return 0 if all(met for _name, met, _value in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
