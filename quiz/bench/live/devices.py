"""The screens that follow a game (a player's device, the teacher's, the projector)
and the app servers they talk to."""

import asyncio
import random
import time
from dataclasses import dataclass, field

from quiz.bench.http import Client, Response, TransportError
from quiz.bench.live.screens import Screen, parse_html
from quiz.bench.stats import Phase

RETRY_SECONDS = 1.0


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
