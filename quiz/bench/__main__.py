"""python -m quiz.bench — a school's 9:00 quiz against the production server.

1. a scratch database (its own DATA_DIR; or a PostgreSQL database it creates);
2. gunicorn started as `make run` starts it, on 127.0.0.1 only;
3. N students sign in (a phase of its own: the password hasher dominates it);
4. they start the quiz within a few seconds of each other and answer every
   question with think time, re-sending some answers and letting some time out
   (--chaos: a worker is SIGKILLed, then the whole server, mid-quiz);
5. the ceiling: the trivial view /health/ and answer round trips, each as fast
   as the server allows;
6. the burst: every student opens one question, then all answer it within
   --burst-window seconds, as at a live game's close or a shared deadline;
7. the database is checked against what the students were told.
"""

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

from quiz.bench.scratch import drop_postgres, forged_sessions, prepare_data_dir, use_scratch

BASE_DIR = Path(__file__).resolve().parent.parent.parent

TARGETS = {"p95_ms": 150.0, "p99_ms": 300.0, "ratio": 0.40, "burst_s": 2.0}


def parse_args(argv):
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        prog="python -m quiz.bench", description=__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--students", type=int, default=500)
    add("--questions", type=int, default=10, help="questions in the 9:00 quiz")
    add("--seconds-per-question", type=int, default=20)
    add("--think", type=float, nargs=2, default=(3.0, 15.0), metavar=("MIN", "MAX"))
    add("--ramp", type=float, default=10.0, help="students start within this many seconds")
    add("--feedback", choices=["each", "end"], default="each")
    add("--duplicates", type=float, default=0.10, help="share of answers sent twice")
    add("--timeouts", type=float, default=0.05, help="share of questions left to time out")
    add(
        "--sign-in",
        choices=["form", "session"],
        default="form",
        help="form: every student posts the sign-in form (costs a password hashing each); "
        "session: students get a signed session cookie made by the bench (no hashing)",
    )
    add("--sign-in-window", type=float, default=60.0, help="students arrive within this")
    add(
        "--hasher",
        default="student",
        help="password hasher for the students' accounts: 'student' (the cheap one the "
        "roster uses, if the project has it), 'default', or an algorithm name",
    )
    add("--workers", type=int, default=int(os.environ.get("WORKERS") or 2 * cores + 1))
    add("--worker-class", default=os.environ.get("WORKER_CLASS") or "uvicorn_worker.UvicornWorker")
    add("--threads", type=int, default=int(os.environ.get("THREADS") or 1))
    add("--ceiling-seconds", type=float, default=15.0)
    add("--ceiling-concurrency", type=int, default=16)
    add("--burst-window", type=float, default=2.0, help="the burst's answers arrive within this")
    add("--chaos", action="store_true", help="SIGKILL a worker, then the whole server, mid-quiz")
    add("--data-dir", default=str(BASE_DIR / ".data" / "bench"))
    add("--database-url", default=os.environ.get("DATABASE_URL", ""))
    add("--keep-database", action="store_true", help="do not drop a PostgreSQL database made here")
    add("--json", help="also write every figure to this file")
    add(
        "--profile",
        metavar="DIR",
        help="sample the workers with py-spy during the answer ceiling (pip install '.[profile]'); "
        "collapsed stacks go to DIR, the summary is printed",
    )
    add("--seed", type=int, default=1917)
    return parser.parse_args(argv)


def student_hasher() -> str:
    """What roster-made student accounts get (quiz.accounts.backends), else Django's default."""
    from django.contrib.auth.hashers import get_hashers

    for hasher in get_hashers():
        if hasher.algorithm.startswith("student"):
            return hasher.algorithm
    return "default"


def hashing_seconds(hasher: str) -> float:
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("x", hasher=hasher)
    started = time.perf_counter()
    check_password("x", encoded)
    return time.perf_counter() - started


async def run_load(args, school, server, session_cookies):
    from django.conf import settings

    from quiz.bench.http import Client
    from quiz.bench.stats import Phase
    from quiz.bench.students import Behaviour, Quiz, Student

    behaviour = Behaviour(
        think=tuple(args.think),
        duplicate_rate=args.duplicates,
        timeout_rate=args.timeouts,
        grace_seconds=settings.QUIZ_GRACE_SECONDS,
    )
    master = random.Random(args.seed)
    students = [
        Student(name, Client("127.0.0.1", server.port), random.Random(master.random()))
        for name in school.usernames
    ]
    phases = []

    async def later(delay, coroutine):
        await asyncio.sleep(delay)
        await coroutine

    sign_in = Phase("sign-in")
    phases.append(sign_in)
    cpu = server.cpu_seconds()
    if args.sign_in == "form":
        quiz = Quiz(sign_in, behaviour, server)
        window = args.sign_in_window
        await asyncio.gather(
            *(later(s.rng.uniform(0, window), quiz.sign_in(s, school.password)) for s in students)
        )
    else:
        for student in students:
            student.client.cookies[settings.SESSION_COOKIE_NAME] = session_cookies[student.username]
    sign_in.finish()
    sign_in.server_cpu = server.cpu_seconds() - cpu

    playing = Phase("quiz")
    phases.append(playing)
    cpu = server.cpu_seconds()
    quiz = Quiz(playing, behaviour, server)
    tasks = [later(s.rng.uniform(0, args.ramp), quiz.take(s, school.quiz_pk)) for s in students]
    if args.chaos:
        tasks.append(chaos(server, args))
    await asyncio.gather(*tasks)
    playing.finish()
    # After a crash the counters restart: no figure rather than a wrong one.
    playing.server_cpu = None if args.chaos else server.cpu_seconds() - cpu

    for label, make in (
        ("ceiling: trivial view /health/", "health"),
        ("ceiling: answer round trip", "answer"),
    ):
        phase = Phase(label)
        phases.append(phase)
        warm_up = 2.0
        now = time.perf_counter()
        phase.window = (now + warm_up, now + warm_up + args.ceiling_seconds)
        stop_at = time.monotonic() + warm_up + args.ceiling_seconds
        fast = Quiz(phase, Behaviour(think=(0, 0), duplicate_rate=0, timeout_rate=0), server)
        if make == "health":
            clients = [Client("127.0.0.1", server.port) for _ in range(args.ceiling_concurrency)]
            load = [fast.hammer(c, "/health/", "health", stop_at) for c in clients]
        else:
            racers = students[: args.ceiling_concurrency]
            load = [fast.saturate(s, school.ceiling_pk, stop_at) for s in racers]
        if make == "answer" and args.profile:
            load.append(record_profile(phase, server, Path(args.profile), warm_up, args))
        await asyncio.gather(measure_cpu(phase, server, warm_up, args.ceiling_seconds), *load)
        phase.finish()

    # The burst: everyone has the question on screen, then all answer within a few seconds.
    setting_up = Phase("burst: set-up (every student opens the question)")
    quick = Behaviour(think=(0, 0), duplicate_rate=0, timeout_rate=0)
    await asyncio.gather(
        *(Quiz(setting_up, quick, server).start(s, school.burst_pk) for s in students)
    )
    setting_up.finish()
    burst = Phase(f"burst: {len(students)} answers within {args.burst_window:g} s")
    phases.append(burst)
    cpu = server.cpu_seconds()
    at = time.monotonic() + 0.5
    acknowledged = await asyncio.gather(
        *(Quiz(burst, quick, server).burst(s, at, args.burst_window) for s in students)
    )
    burst.finish()
    burst.server_cpu = server.cpu_seconds() - cpu
    done = [acked for _sent, acked in acknowledged if acked != float("inf")]
    first_sent = min(sent for sent, _acked in acknowledged)
    last_sent = max(sent for sent, _acked in acknowledged)
    burst.acknowledged = len(done)
    burst.last_acknowledgement = max(done) - first_sent if done else None
    # What the class waits once everyone has answered: the drain, against the 2 s target.
    burst.drain = max(done) - last_sent if done else None
    return phases, students


async def measure_cpu(phase, server, warm_up: float, seconds: float) -> None:
    await asyncio.sleep(warm_up)
    cpu, client_cpu = server.cpu_seconds(), time.process_time()
    await asyncio.sleep(seconds)
    phase.server_cpu = server.cpu_seconds() - cpu
    phase.client_cpu = time.process_time() - client_cpu


async def record_profile(phase, server, folder: Path, warm_up: float, args) -> None:
    from quiz.bench.profile import Recording

    await asyncio.sleep(warm_up)
    recording = Recording(folder)
    recording.start(server.worker_pids(), args.ceiling_seconds)
    await asyncio.to_thread(recording.wait)
    phase.profile = recording


async def chaos(server, args):
    """Mid-quiz: SIGKILL one worker; later SIGKILL the whole server and start it again."""
    quiz_seconds = args.questions * (sum(args.think) / 2 + 1.5)
    await asyncio.sleep(args.ramp + quiz_seconds * 0.25)
    server.kill_worker()
    await asyncio.sleep(quiz_seconds * 0.25)
    try:
        await asyncio.to_thread(server.crash_and_restart)
    except RuntimeError as error:
        # Reported with the figures; students still waiting show up as stuck.
        server.events.append(f"restart failed: {error}")


def verify(school, students) -> dict:
    """Every acknowledged answer stored exactly once, nothing else stored, scores add up."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from quiz.core.models import Answer, Attempt

    problems: list[str] = []
    counts = dict.fromkeys(
        [
            "acknowledged",
            "stored_once",
            "lost",
            "doubled",
            "unacknowledged_stored",
            "stored_after_dropped_connection",
            "timed_out",
            "intended_timeouts",
            "late",
            "score_mismatches",
            "unknown_attempts",
            "unfinished_quizzes",
            "resume_checks",
            "resume_mismatches",
            "stuck_students",
            "duplicates_sent",
        ],
        0,
    )
    known = set()
    for student in students:
        counts["resume_checks"] += student.resume_checks
        counts["resume_mismatches"] += len(student.resume_mismatches)
        problems += student.resume_mismatches
        counts["duplicates_sent"] += student.duplicates_sent
        if student.stuck:
            counts["stuck_students"] += 1
            problems.append(f"{student.username} stuck: {student.stuck}")
        for sitting in student.sittings:
            known.add(sitting.attempt_pk)
            attempt = Attempt.objects.get(pk=sitting.attempt_pk)
            rows = list(Answer.objects.filter(attempt=attempt))
            per_position = Answer.objects.filter(attempt=attempt).values("position")
            for row in per_position.annotate(n=Count("pk")).filter(n__gt=1):
                counts["doubled"] += row["n"] - 1
                problems.append(f"attempt {attempt.pk}: position {row['position']} stored twice")
            by_position = {a.position: a for a in rows}
            counts["intended_timeouts"] += len(sitting.intended_timeouts)
            for position, response in sitting.acknowledged.items():
                stored = by_position.get(position)
                if response is None:
                    counts["timed_out"] += 1
                    if stored is None or stored.answered_at is not None or not stored.timed_out:
                        problems.append(f"attempt {attempt.pk}: {position} should have timed out")
                    continue
                counts["acknowledged"] += 1
                if stored is None or stored.answered_at is None or stored.response != response:
                    counts["lost"] += 1
                    problems.append(
                        f"attempt {attempt.pk}: acknowledged {response} at {position} "
                        f"but stored {stored and stored.response}"
                    )
                else:
                    counts["stored_once"] += 1
                    counts["late"] += stored.late
            for position, stored in by_position.items():
                if stored.answered_at is None or sitting.acknowledged.get(position) is not None:
                    continue
                if sitting.unconfirmed.get(position) == stored.response:
                    # Committed, then the connection dropped before the reply: the
                    # student was not told, and the retry found the question closed.
                    counts["stored_after_dropped_connection"] += 1
                else:
                    counts["unacknowledged_stored"] += 1
                    problems.append(f"attempt {attempt.pk}: {position} stored, never acknowledged")
            if attempt.score != sum(a.points for a in rows) or attempt.correct_count != sum(
                a.credit >= 1.0 for a in rows
            ):
                counts["score_mismatches"] += 1
                problems.append(f"attempt {attempt.pk}: score does not add up")
            if attempt.question_set_id == school.quiz_pk and attempt.finished_at is None:
                counts["unfinished_quizzes"] += 1
    users = get_user_model().objects.filter(username__in=school.usernames)
    unknown = Attempt.objects.filter(student__in=users).exclude(pk__in=known)
    counts["unknown_attempts"] = unknown.count()
    if counts["unknown_attempts"]:
        problems.append(f"{counts['unknown_attempts']} attempts no student was shown")
    return {"counts": counts, "problems": problems}


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.profile:
        from quiz.bench.profile import available

        if not available():
            sys.exit("--profile needs py-spy: .venv/bin/pip install '.[profile]'")
    data_dir = prepare_data_dir(Path(args.data_dir))
    # The scratch server: its own folder and database, production settings.
    made_database, is_postgres = use_scratch(data_dir, args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    if args.hasher == "student":
        args.hasher = student_hasher()

    from quiz.bench.data import create_school
    from quiz.bench.server import Server, free_port
    from quiz.bench.stats import format_table, format_timeline, print_targets, write_json

    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        school = create_school(
            args.students, args.questions, args.seconds_per_question, args.feedback, args.hasher
        )
        cookies = forged_sessions(school.usernames) if args.sign_in == "session" else {}
        hash_cost = hashing_seconds(args.hasher)
        connections.close_all()

        server = Server(
            port=free_port(),
            env={},
            log_path=data_dir / "server.log",
            workers=args.workers,
            worker_class=args.worker_class,
            threads=args.threads,
        )
        database = (
            f"PostgreSQL {connection.settings_dict['NAME']}"
            if is_postgres
            else f"SQLite (WAL) {connection.settings_dict['NAME']}"
        )
        print("History Quiz load benchmark", flush=True)
        load = os.getloadavg()[0]
        if load > 0.5:
            print(
                f"  WARNING:  load average {load:.1f} before the start: something else is using "
                "the CPUs, the figures will be pessimistic"
            )
        print(
            f"  server:   gunicorn {args.worker_class}, {args.workers} workers × {args.threads} "
            f"threads, 127.0.0.1:{server.port}, {os.cpu_count()} CPUs (shared with this client)"
        )
        print(f"  database: {database}")
        print(
            f"  quiz:     {args.students} students, {args.questions} questions × "
            f"{args.seconds_per_question} s, think {args.think[0]:g}–{args.think[1]:g} s, "
            f"feedback {args.feedback}, {args.duplicates:.0%} answers sent twice, "
            f"{args.timeouts:.0%} left to time out{', CHAOS' if args.chaos else ''}"
        )
        print(
            f"  sign-in:  {args.sign_in}; students' hasher {school.hasher} "
            f"({1000 * hash_cost:.0f} ms a check on this machine)"
        )
        server.start()
        try:
            phases, students = asyncio.run(run_load(args, school, server, cookies))
        finally:
            server.stop()
        result = verify(school, students)
    finally:
        connections.close_all()
        if made_database and not args.keep_database:
            drop_postgres(args.database_url)

    figures = {phase.name: phase.figures() for phase in phases}
    for phase in phases:
        if phase.name == "sign-in" and args.sign_in == "session":
            print("\nsign-in: skipped (session cookies made by the bench)")
            continue
        print("\n" + format_table(phase.name, figures[phase.name]))
    quiz_phase = next(p for p in phases if p.name == "quiz")
    timeline = quiz_phase.timeline(("answer", "next"))
    figures["quiz"]["timeline"] = timeline
    print("\n" + format_timeline("quiz: answer and next, 30 s at a time", timeline))
    if server.events:
        print("\nchaos: " + "; ".join(server.events))

    quiz_answer = figures["quiz"]["endpoints"].get("answer", {})
    health = figures["ceiling: trivial view /health/"]["endpoints"].get("health", {})
    ceiling_answer = figures["ceiling: answer round trip"]["endpoints"].get("answer", {})
    ratio = (
        ceiling_answer.get("per_second", 0) / health["per_second"]
        if health.get("per_second")
        else 0.0
    )
    counts = result["counts"]
    print(
        "\ndatabase check: {acknowledged} answers acknowledged, {stored_once} stored exactly once; "
        "lost {lost}, doubled {doubled}, stored without acknowledgement {unacknowledged_stored} "
        "(+{stored_after_dropped_connection} committed just before a dropped connection); "
        "{timed_out} timed out ({intended_timeouts} on purpose), {late} late; "
        "score mismatches {score_mismatches}; attempts nobody was shown {unknown_attempts}; "
        "unfinished quizzes {unfinished_quizzes}; duplicates sent {duplicates_sent}; "
        "stuck students {stuck_students}; reload checks {resume_checks} "
        "({resume_mismatches} not where the student was)".format(**counts)
    )
    for problem in result["problems"][:20]:
        print("  ! " + problem)
    print(
        f"\nceiling: trivial view {health.get('per_second', 0):.0f} req/s; answer round trip "
        f"{ceiling_answer.get('per_second', 0):.0f} answers/s = {ratio:.0%} of the trivial view"
    )
    costs = []
    for name in ("ceiling: trivial view /health/", "ceiling: answer round trip"):
        phase_figures = figures[name]
        if phase_figures["server_cpu_seconds"] and phase_figures["total"]["requests"]:
            costs.append(
                1000 * phase_figures["server_cpu_seconds"] / phase_figures["total"]["requests"]
            )
    if len(costs) == 2:
        print(
            f"         server CPU a request: trivial view {costs[0]:.1f} ms, answer round trip "
            f"{costs[1]:.1f} ms ({costs[0] / costs[1]:.0%}); the rest of the two cores went to "
            "this client and to other processes"
        )

    answer_ceiling = next(p for p in phases if p.name == "ceiling: answer round trip")
    profiled = getattr(answer_ceiling, "profile", None)
    if profiled is not None:
        from quiz.bench.profile import summary

        print("\n" + summary(profiled.stacks()))

    burst = phases[-1]
    figures[burst.name]["acknowledged"] = burst.acknowledged
    figures[burst.name]["last_acknowledgement_seconds"] = burst.last_acknowledgement
    figures[burst.name]["drain_seconds"] = burst.drain
    last = burst.drain
    print(
        f"\nburst: {burst.acknowledged} of {len(students)} answers acknowledged, sent within "
        f"{args.burst_window:g} s; the last acknowledged "
        + (
            f"{burst.last_acknowledgement:.2f} s after the first was sent, "
            f"{last:.2f} s after the last was sent"
            if last is not None
            else "never"
        )
    )

    server_errors = sum(f["total"]["5xx"] for f in figures.values())
    correct = (
        counts["lost"] == 0
        and counts["doubled"] == 0
        and counts["unacknowledged_stored"] == 0
        and counts["score_mismatches"] == 0
        and counts["unknown_attempts"] == 0
        and counts["resume_mismatches"] == 0
        and counts["stuck_students"] == 0
        and server_errors == 0
    )
    targets = [
        ("answer p95 < 150 ms", quiz_answer.get("p95_ms", 0) < TARGETS["p95_ms"],
         f"{quiz_answer.get('p95_ms', 0):.0f} ms"),
        ("answer p99 < 300 ms", quiz_answer.get("p99_ms", 0) < TARGETS["p99_ms"],
         f"{quiz_answer.get('p99_ms', 0):.0f} ms"),
        ("zero 5xx", server_errors == 0, str(server_errors)),
        ("zero lost or doubled answers", correct, "see database check"),
        ("answer throughput ≥ 40 % of trivial view", ratio >= TARGETS["ratio"], f"{ratio:.0%}"),
        (f"burst: all acknowledged within {TARGETS['burst_s']:g} s of the last sent",
         last is not None and burst.acknowledged == len(students) and last < TARGETS["burst_s"],
         f"{last:.2f} s" if last is not None else "none"),
    ]  # fmt: skip
    print_targets(targets)
    write_json(
        args.json,
        args=vars(args),
        database=database,
        figures=figures,
        check=result,
        ratio=ratio,
        events=server.events,
    )
    print(f"\nserver log: {data_dir / 'server.log'}")
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
