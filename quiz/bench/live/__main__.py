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
import os
import random
import sys
from pathlib import Path

from quiz.bench.live.check import verify
from quiz.bench.live.devices import Servers
from quiz.bench.live.game import run
from quiz.bench.live.report import report
from quiz.bench.scratch import drop_postgres, forged_sessions, prepare_data_dir, use_scratch

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent


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


if __name__ == "__main__":
    sys.exit(main())
