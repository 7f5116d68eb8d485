"""A minimal asyncio HTTP/1.1 client: one connection per request, a cookie jar.

The load generator shares the two cores with the server it measures, so it is
kept as cheap as possible (no third-party client, no TLS, no redirects).
"""

import asyncio
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

Form = dict[str, str] | list[tuple[str, str]]


class TransportError(Exception):
    """The connection failed or closed before a whole response arrived."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    set_cookies: list[str]
    body: str
    elapsed: float

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


@dataclass
class Client:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0

    @property
    def csrf_token(self) -> str:
        return self.cookies.get("csrftoken", "")

    async def get(self, path: str, *, htmx: bool = False) -> Response:
        return await self.request("GET", path, htmx=htmx)

    async def post(self, path: str, form: Form, *, htmx: bool = False) -> Response:
        return await self.request("POST", path, form=form, htmx=htmx)

    async def request(
        self, method: str, path: str, *, form: Form | None = None, htmx: bool = False
    ) -> Response:
        body = urlencode(form or {}).encode() if method == "POST" else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: close",
            "User-Agent: history-quiz-bench",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
            if self.csrf_token:
                lines.append(f"X-CSRFToken: {self.csrf_token}")
        if htmx:
            lines.append("HX-Request: true")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
                try:
                    writer.write(raw)
                    await writer.drain()
                    data = await reader.read()
                finally:
                    writer.close()
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
            raise TransportError(f"{method} {path}: {error!r}") from error
        elapsed = time.perf_counter() - started
        response = _parse(data, elapsed, f"{method} {path}")
        for cookie in response.set_cookies:
            self._store_cookie(cookie)
        return response

    def _store_cookie(self, header: str) -> None:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        expired = re.search(r"max-age=0\b", attributes, re.I) or value in ("", '""')
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


def _parse(data: bytes, elapsed: float, what: str) -> Response:
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        raise TransportError(f"{what}: connection closed after {len(data)} bytes")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(status_line.split(" ", 2)[1])
    except (IndexError, ValueError):
        raise TransportError(f"{what}: bad status line {status_line!r}") from None
    headers: dict[str, str] = {}
    set_cookies: list[str] = []
    for line in header_lines:
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            set_cookies.append(value)
        else:
            headers[name] = value
    length = headers.get("content-length")
    if length is not None and len(body) < int(length):
        raise TransportError(f"{what}: body cut short ({len(body)} of {length} bytes)")
    return Response(status, headers, set_cookies, body.decode("utf-8", "replace"), elapsed)
