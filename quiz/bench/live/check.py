"""The database checked against what every player was told."""

from quiz.bench.live.game import Game


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
