"""Simulated students: sign in, start the quiz, answer every question with think time.

Each student behaves like the htmx page: answers and "next" are htmx POSTs whose
response is the next fragment; when the countdown reaches zero the page asks the
server (GET with HX-Request) what happens next; a lost request is re-sent (answers
are idempotent). A student remembers every answer the server acknowledged, so the
database can be checked against it afterwards.
"""

import asyncio
import random
import re
import time
from dataclasses import dataclass, field

from quiz.bench.http import Client, Response, TransportError
from quiz.bench.stats import Phase

POSITION = re.compile(r'name="position" value="(\d+)"')
OPTION = re.compile(r'name="option" value="(\d+)"')
PLACE = re.compile(r'name="place_(\d+)"')
ATTEMPT = re.compile(r"/quiz/attempts/(\d+)/")
SECONDS_LEFT = re.compile(r'data-seconds-left="(\d+)"')


class Stuck(Exception):
    """The server kept failing for longer than a student would wait."""


@dataclass
class Step:
    kind: str  # "question", "feedback", "finished"
    position: int = -1
    options: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    has_year: bool = False
    timed_out: bool = False
    seconds_left: float = 0.0
    received: float = field(default_factory=time.monotonic)

    def seconds_left_now(self) -> float:
        return self.seconds_left - (time.monotonic() - self.received)


def parse_step(response: Response) -> Step:
    if response.header("hx-redirect") or (
        response.status == 302 and "/result/" in response.header("location")
    ):
        return Step("finished")
    body = response.body
    found = POSITION.search(body)
    if response.status != 200 or not found:
        raise ValueError(f"unexpected response {response.status}: {body[:200]!r}")
    position = int(found.group(1))
    if "/answer/" in body:
        seconds_left = SECONDS_LEFT.search(body)
        return Step(
            "question",
            position,
            options=[int(o) for o in OPTION.findall(body)],
            places=[int(p) for p in PLACE.findall(body)],
            has_year='name="year"' in body,
            seconds_left=float(seconds_left.group(1)) if seconds_left else 0.0,
        )
    # The feedback heading: "Time's up" (closed unanswered) or "Too late".
    timed_out = "Time&#x27;s up" in body or "Time's up" in body
    return Step("feedback", position, timed_out=timed_out)


@dataclass
class Behaviour:
    think: tuple[float, float] = (2.0, 10.0)
    read_feedback: tuple[float, float] = (0.5, 2.0)
    duplicate_rate: float = 0.10
    timeout_rate: float = 0.05
    grace_seconds: float = 2.0
    # How long a student keeps re-sending before giving up (the server restarts meanwhile).
    patience: float = 120.0


@dataclass
class Sitting:
    """What one student knows about one attempt."""

    attempt_pk: int
    # position -> the response the server acknowledged; None when it timed out.
    acknowledged: dict[int, dict | None] = field(default_factory=dict)
    # Positions whose answer was sent but never acknowledged (connection lost).
    unconfirmed: dict[int, dict] = field(default_factory=dict)
    intended_timeouts: set[int] = field(default_factory=set)


@dataclass
class Student:
    username: str
    client: Client
    rng: random.Random
    sittings: list[Sitting] = field(default_factory=list)
    step: Step | None = None
    generation: int = 0
    resume_checks: int = 0
    resume_mismatches: list[str] = field(default_factory=list)
    duplicates_sent: int = 0
    stuck: str = ""


class Quiz:
    """Runs students against one server; `server` is consulted for crash generations."""

    def __init__(self, phase: Phase, behaviour: Behaviour, server=None):
        self.phase = phase
        self.behaviour = behaviour
        self.server = server

    async def call(
        self, student: Student, label: str, method: str, path: str, form=None, htmx=False
    ) -> Response:
        """One request; a dropped connection or a 5xx is re-sent, like the page does."""
        given_up_at = time.monotonic() + self.behaviour.patience
        while True:
            try:
                response = await student.client.request(method, path, form=form, htmx=htmx)
            except TransportError:
                self.phase.record_transport_error(label)
            else:
                self.phase.record(label, response.status, response.elapsed)
                if response.status < 500:
                    return response
            if time.monotonic() > given_up_at:
                raise Stuck(f"{method} {path} kept failing")
            await asyncio.sleep(student.rng.uniform(1.0, 2.0))

    async def sign_in(self, student: Student, password: str) -> None:
        await self.call(student, "sign-in page", "GET", "/accounts/login/")
        response = await self.call(
            student,
            "sign-in",
            "POST",
            "/accounts/login/",
            form={
                "username": student.username,
                "password": password,
                "csrfmiddlewaretoken": student.client.csrf_token,
            },
        )
        if response.status != 302:
            raise ValueError(f"{student.username} could not sign in ({response.status})")

    async def start(self, student: Student, quiz_pk: int) -> None:
        await self.call(student, "my quizzes", "GET", "/quiz/")
        response = await self.call(
            student, "start", "POST", f"/quiz/sets/{quiz_pk}/start/", form={}
        )
        found = ATTEMPT.search(response.header("location"))
        if response.status != 302 or not found:
            raise ValueError(f"{student.username} could not start: {response.status}")
        student.sittings.append(Sitting(int(found.group(1))))
        page = await self.call(student, "play page", "GET", found.group(0))
        student.step = parse_step(page)
        student.generation = self._generation()

    def _generation(self) -> int:
        return self.server.generation if self.server else 0

    async def take(self, student: Student, quiz_pk: int) -> None:
        """Play a whole sitting, question by question, until the result page."""
        try:
            await self.start(student, quiz_pk)
            while student.step.kind != "finished":
                await self._resume_check(student)
                if student.step.kind == "question":
                    await self._answer_or_let_time_out(student)
                else:
                    await asyncio.sleep(student.rng.uniform(*self.behaviour.read_feedback))
                    await self._next(student)
            sitting = student.sittings[-1]
            await self.call(
                student, "result", "GET", f"/quiz/attempts/{sitting.attempt_pk}/result/"
            )
        except (Stuck, ValueError) as error:
            student.stuck = str(error)

    async def _resume_check(self, student: Student) -> None:
        """After a crash the student reloads: the page must show where they were."""
        if self._generation() == student.generation:
            return
        student.generation = self._generation()
        sitting = student.sittings[-1]
        page = await self.call(student, "reload", "GET", f"/quiz/attempts/{sitting.attempt_pk}/")
        shown = parse_step(page)
        student.resume_checks += 1
        expected = student.step
        if shown.position != expected.position:
            student.resume_mismatches.append(
                f"{student.username}: was at {expected.kind} {expected.position}, "
                f"reload shows {shown.kind} {shown.position}"
            )
        if shown.kind == "feedback" and expected.kind == "question":
            # The question timed out while the server was down: that is the truth now.
            student.sittings[-1].acknowledged[shown.position] = None
        student.step = shown

    def _response_for(self, student: Student, step: Step) -> tuple[dict, dict]:
        rng = student.rng
        if step.places:
            order = step.places[:]
            rng.shuffle(order)
            form = {f"place_{pk}": str(order.index(pk) + 1) for pk in step.places}
            return form, {"order": order}
        if step.has_year:
            year = rng.randint(1895, 1945)
            return {"year": str(year)}, {"year": year}
        option = rng.choice(step.options)
        return {"option": str(option)}, {"option": option}

    async def _answer_or_let_time_out(self, student: Student) -> None:
        step = student.step
        sitting = student.sittings[-1]
        rng = student.rng
        path = f"/quiz/attempts/{sitting.attempt_pk}"
        if rng.random() < self.behaviour.timeout_rate:
            sitting.intended_timeouts.add(step.position)
            # The page's countdown reached zero: it asks the server what is next.
            await asyncio.sleep(
                max(0.0, step.seconds_left_now()) + self.behaviour.grace_seconds + 1
            )
            shown = parse_step(
                await self.call(student, "timer refresh", "GET", f"{path}/", htmx=True)
            )
            if shown.kind == "feedback" and shown.position == step.position:
                sitting.acknowledged[step.position] = None
            student.step = shown
            return
        think = rng.uniform(*self.behaviour.think)
        await asyncio.sleep(max(0.0, min(think, step.seconds_left_now() - 1)))
        await self._resume_check(student)
        if student.step.kind != "question" or student.step.position != step.position:
            return
        form, response = self._response_for(student, step)
        form["position"] = str(step.position)
        sitting.unconfirmed[step.position] = response
        send = self.call(student, "answer", "POST", f"{path}/answer/", form=form, htmx=True)
        duplicate = rng.random() < self.behaviour.duplicate_rate
        if duplicate and rng.random() < 0.5:
            # A double click: both requests race.
            again = self.call(
                student, "answer (again)", "POST", f"{path}/answer/", form=form, htmx=True
            )
            first, second = await asyncio.gather(send, again)
            student.duplicates_sent += 1
            self._check_same(student, parse_step(first), parse_step(second))
            reply = first
        else:
            reply = await send
            if duplicate:
                # A retry after a lost response: the same answer once more.
                again = await self.call(
                    student, "answer (again)", "POST", f"{path}/answer/", form=form, htmx=True
                )
                student.duplicates_sent += 1
                self._check_same(student, parse_step(reply), parse_step(again))
        shown = parse_step(reply)
        if shown.kind in ("feedback", "finished") or shown.position > step.position:
            del sitting.unconfirmed[step.position]
            timed_out = shown.kind == "feedback" and shown.timed_out
            sitting.acknowledged[step.position] = None if timed_out else response
        student.step = shown

    def _check_same(self, student: Student, first: Step, second: Step) -> None:
        if (first.kind, first.position) != (second.kind, second.position):
            student.resume_mismatches.append(
                f"{student.username}: duplicate answer saw {second.kind} {second.position}, "
                f"the first {first.kind} {first.position}"
            )

    async def _next(self, student: Student) -> None:
        sitting = student.sittings[-1]
        response = await self.call(
            student,
            "next",
            "POST",
            f"/quiz/attempts/{sitting.attempt_pk}/next/",
            form={"position": str(student.step.position)},
            htmx=True,
        )
        student.step = parse_step(response)

    async def saturate(self, student: Student, quiz_pk: int, stop_at: float) -> None:
        """Answer as fast as the server allows (no think time) until `stop_at`."""
        try:
            while time.monotonic() < stop_at:
                if student.step is None or student.step.kind == "finished":
                    await self.start(student, quiz_pk)
                elif student.step.kind == "question":
                    await self._answer_or_let_time_out(student)
                else:
                    await self._next(student)
        except (Stuck, ValueError) as error:
            student.stuck = str(error)

    async def burst(self, student: Student, at: float, window: float) -> tuple[float, float]:
        """Answer the question on screen at a moment within `window` seconds after `at`
        (time.monotonic()), as a class does at a shared deadline: (sent, acknowledged),
        acknowledged being infinite when it never was."""
        await asyncio.sleep(max(0.0, at + student.rng.uniform(0, window) - time.monotonic()))
        sent = time.monotonic()
        try:
            await self._answer_or_let_time_out(student)
        except (Stuck, ValueError) as error:
            student.stuck = str(error)
            return sent, float("inf")
        return sent, time.monotonic()

    async def hammer(self, client: Client, path: str, label: str, stop_at: float) -> None:
        """The trivial view, as fast as the server allows: the ceiling."""
        rng = random.Random(0)
        student = Student("-", client, rng)
        while time.monotonic() < stop_at:
            await self.call(student, label, "GET", path)
