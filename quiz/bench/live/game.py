"""One game as the class plays it: the teacher moves it on, the projector follows,
every player joins, answers (some twice, some dropping out a moment), and the
figures are gathered: broadcast latencies and reconnection times."""

import asyncio
import contextlib
import random
import re
import time

from quiz.bench.live.devices import Device, Player, Servers
from quiz.bench.live.screens import Screen, parse_screen
from quiz.bench.stats import Phase

GAME = re.compile(r"/live/(\d+)/")
CODE = re.compile(r'class="join-code"[^>]*>(\d+)<')
ANSWERED = re.compile(r"(\d+) of (\d+) players? ha(?:s|ve) answered")


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
