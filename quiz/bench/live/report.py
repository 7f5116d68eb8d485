"""The live benchmark's figures, printed against the targets."""

import os
from pathlib import Path

from quiz.bench.live.game import Game
from quiz.bench.stats import format_table, percentile, print_targets, write_json

TARGETS = {"broadcast_p95_ms": 250.0, "broadcast_p99_ms": 500.0, "reconnect_p95_s": 3.0}


def ms(values: list[float], fraction: float) -> float:
    return 1000 * percentile(sorted(values), fraction)


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
    all_met = print_targets(targets)
    write_json(
        args.json,
        args=vars(args),
        database=database,
        figures=figures,
        check=result,
        broadcast_ms={k: sorted(1000 * v for v in vs) for k, vs in latencies.items()},
        reconnect_s=sorted(reconnects),
        reconnect_after_restart_s=sorted(after_restart),
        targets=[{"name": n, "met": m, "value": v} for n, m, v in targets],
    )
    print(f"\nserver logs: {data_dir}/server-*.log")
    return 0 if all_met else 1
