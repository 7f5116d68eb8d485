"""The live game's state machine.

The teacher's moves (next, show the answer now, end, remove a player) lock the
game row, check the version the teacher's screen showed (a double click or a
second teacher device moves the game once), change it and bump its version. An
answer takes no lock: it is one INSERT of the player's answer to the current
question, which the database lets happen once (quiz_answer_once), and the score's
UPDATE, in one short transaction. A question closes when every player has
answered, when the teacher says so, or when the first screen to ask after the
deadline (and its grace) finds it open.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from quiz.core.models import (
    Answer,
    Attempt,
    Kind,
    LiveGame,
    LivePhase,
    Question,
    StudentProfile,
)
from quiz.core.models.live import new_code
from quiz.play.scoring import credit_for, points_for
from quiz.play.sitting import grace, option_order, seconds_left_as_sent


class Refused(Exception):
    """What a player or the host may not do now; str() is the reason's code."""


def host(question_set, classroom, teacher, now, rng=None) -> LiveGame:
    rng = rng or random.SystemRandom()
    question_ids = [q.pk for q in question_set.ordered_questions()]
    if not question_ids:
        raise Refused("empty")
    if question_set.shuffle:
        rng.shuffle(question_ids)
    if question_set.question_count:
        question_ids = question_ids[: question_set.question_count]
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return LiveGame.objects.create(
                    question_set=question_set,
                    classroom=classroom,
                    host=teacher,
                    code=new_code(),
                    question_ids=question_ids,
                )
        except IntegrityError:
            continue  # that code is in use by a game not yet ended: draw another
    raise Refused("no_code")


def may_join(game: LiveGame, student) -> str:
    """'' if the student may join (or rejoin) the game, else the reason's code."""
    if game.is_over:
        return "ended"
    if student.pk in game.removed_ids:
        return "removed"
    in_class = StudentProfile.objects.filter(user=student, classroom=game.classroom_id).exists()
    if not in_class:
        return "not_in_class"
    return ""


def join(game: LiveGame, student, now) -> Attempt:
    """The player's attempt at the game: made once, found again on every rejoin."""
    refusal = may_join(game, student)
    if refusal:
        raise Refused(refusal)
    existing = Attempt.objects.filter(live_game=game, student=student).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                student=student,
                question_set_id=game.question_set_id,
                question_ids=game.question_ids,
                live_game=game,
                current_index=max(game.current_index, 0),
                started_at=now,
            )
    except IntegrityError:
        # Another device of theirs joined a moment ago.
        return Attempt.objects.get(live_game=game, student=student)


def players(game: LiveGame):
    return (
        Attempt.objects.filter(live_game=game)
        .select_related("student__student_profile")
        .order_by("-score", "started_at")
    )


def settle(game: LiveGame, now) -> LiveGame:
    """The game as it stands: a question whose time (and grace) ran out is closed."""
    if game.phase == LivePhase.QUESTION and now > game.deadline + grace():
        with transaction.atomic():
            game = _locked(game.pk)
            if game.phase == LivePhase.QUESTION and now > game.deadline + grace():
                _close_question(game)
    return game


def _locked(game_pk) -> LiveGame:
    return LiveGame.objects.select_for_update().select_related("question_set").get(pk=game_pk)


def _bump(game: LiveGame, fields: list[str]) -> None:
    game.version += 1
    game.save(update_fields=[*fields, "version"])


def advance(game_pk, seen_version: int, now) -> LiveGame:
    """The host's Next: lobby → question → answer → leaderboard → next question … → podium.

    `seen_version` is the version the host's screen showed: if the game has moved
    on since (a double click, another device of the teacher's), nothing happens.
    """
    with transaction.atomic():
        game = _locked(game_pk)
        if game.version != seen_version or game.is_over:
            return game
        if game.phase == LivePhase.QUESTION:
            _close_question(game)
        elif game.phase == LivePhase.REVEAL:
            game.phase = LivePhase.LEADERBOARD
            _bump(game, ["phase"])
        elif game.is_last_question and game.phase != LivePhase.LOBBY:
            _end(game, now)
        else:
            _open_question(game, now)
        return game


def end(game_pk, now) -> LiveGame:
    with transaction.atomic():
        game = _locked(game_pk)
        if not game.is_over:
            if game.phase == LivePhase.QUESTION:
                _close_question(game)
            _end(game, now)
        return game


def remove_player(game_pk, student_pk) -> LiveGame:
    """Out of this game for good: their attempt and answers go; they cannot rejoin."""
    with transaction.atomic():
        game = _locked(game_pk)
        if student_pk not in game.removed_ids:
            game.removed_ids = [*game.removed_ids, student_pk]
        Answer.objects.filter(attempt__live_game=game, attempt__student_id=student_pk).delete()
        Attempt.objects.filter(live_game=game, student_id=student_pk).delete()
        _bump(game, ["removed_ids"])
        return game


def _open_question(game: LiveGame, now) -> None:
    game.current_index += 1
    question = Question.objects.prefetch_related("options").get(
        pk=game.question_ids[game.current_index]
    )
    game.option_order = option_order(question)
    game.phase = LivePhase.QUESTION
    game.question_started_at = now
    game.deadline = now + timedelta(seconds=game.seconds_allowed())
    _bump(game, ["current_index", "option_order", "phase", "question_started_at", "deadline"])
    Attempt.objects.filter(live_game=game).update(current_index=game.current_index)


def _close_question(game: LiveGame) -> None:
    """Time's up for everyone who has not answered: their answer is stored as timed out
    (so the review and the item analysis read it like a self-paced one)."""
    question_pk = game.question_ids[game.current_index]
    unanswered = Attempt.objects.filter(live_game=game).exclude(answers__question_id=question_pk)
    Answer.objects.bulk_create(
        [
            Answer(
                attempt_id=attempt_pk,
                question_id=question_pk,
                position=game.current_index,
                shown_at=game.question_started_at,
                deadline=game.deadline,
                option_order=game.option_order,
                timed_out=True,
            )
            for attempt_pk in unanswered.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    # A question left unanswered ends a streak, as in a self-paced quiz.
    Attempt.objects.filter(
        live_game=game, answers__question_id=question_pk, answers__timed_out=True
    ).update(streak=0)
    game.phase = LivePhase.REVEAL
    _bump(game, ["phase"])


def _end(game: LiveGame, now) -> None:
    asked = game.question_ids[: max(game.current_index + 1, 0)]
    # A game ended early is scored out of the questions it asked.
    Attempt.objects.filter(live_game=game).update(
        finished_at=now, question_ids=asked, current_index=len(asked)
    )
    game.phase = LivePhase.ENDED
    game.ended_at = now
    _bump(game, ["phase", "ended_at"])


def end_stale(now, idle=timedelta(hours=3)) -> int:
    """End the games a teacher left open (the lesson is long over): their players'
    attempts are then finished like any other."""
    ended = 0
    for game in LiveGame.objects.exclude(phase=LivePhase.ENDED):
        last_move = game.question_started_at or game.created_at
        if now > last_move + idle:
            end(game.pk, now)
            ended += 1
    return ended


@dataclass
class Outcome:
    accepted: bool
    reason: str = ""  # "", "late", "already_answered", "not_current"
    answer: Answer | None = None


def answer(
    game: LiveGame,
    attempt: Attempt,
    position: int,
    question: Question,
    response: dict,
    now,
    *,
    claimed_left: float | None = None,
) -> Outcome:
    """Store the player's one answer to the current question.

    Speed points count the time the question was on the player's screen: the page
    says how long its countdown had left as the answer left, believed up to the
    grace period and never beyond what the server's own clock allows.
    """
    if game.phase != LivePhase.QUESTION or position != game.current_index:
        return Outcome(False, "not_current")
    if question.pk != game.question_ids[game.current_index]:
        return Outcome(False, "not_current")
    late = now > game.deadline + grace()
    if late:
        return Outcome(False, "late")
    credit = credit_for(question, response)
    streak = attempt.streak + 1 if credit >= 1.0 else 0
    allowed = game.seconds_allowed()
    left = seconds_left_as_sent(game.deadline, now, claimed_left)
    points = points_for(
        game.question_set.scoring,
        credit,
        time_fraction_left=left / allowed if allowed else 0,
        streak=streak,
    )
    stored = Answer(
        attempt=attempt,
        question=question,
        position=position,
        shown_at=game.question_started_at,
        deadline=game.deadline,
        option_order=game.option_order,
        answered_at=now,
        response=response,
        credit=credit,
        points=points,
    )
    try:
        with transaction.atomic():
            stored.save(force_insert=True)
            Attempt.objects.filter(pk=attempt.pk).update(
                score=F("score") + points,
                correct_count=F("correct_count") + (1 if credit >= 1.0 else 0),
                streak=streak,
            )
    except IntegrityError:
        return Outcome(False, "already_answered", answer_of(attempt, question))
    attempt.score += points
    attempt.streak = streak
    if everyone_answered(game):
        settle_when_all_answered(game.pk, game.current_index)
    return Outcome(True, "", stored)


def answer_of(attempt: Attempt, question) -> Answer | None:
    return Answer.objects.filter(attempt=attempt, question=question).first()


def answered_count(game: LiveGame) -> int:
    if game.current_index < 0:
        return 0
    question_pk = game.question_ids[game.current_index]
    return Answer.objects.filter(
        attempt__live_game=game, question_id=question_pk, answered_at__isnull=False
    ).count()


def everyone_answered(game: LiveGame) -> bool:
    counts = Attempt.objects.filter(live_game=game).aggregate(
        players=Count("pk", distinct=True),
        answered=Count(
            "answers",
            filter=Q(answers__question_id=game.question_ids[game.current_index]),
            distinct=True,
        ),
    )
    return counts["answered"] >= counts["players"]


def settle_when_all_answered(game_pk, index: int) -> None:
    with transaction.atomic():
        game = _locked(game_pk)
        still_open = game.phase == LivePhase.QUESTION and game.current_index == index
        if still_open and everyone_answered(game):
            _close_question(game)


@dataclass
class Bar:
    label: str
    count: int
    correct: bool
    percent: int = 0


def distribution(game: LiveGame, question: Question) -> list[Bar]:
    """How the class answered the current question: a bar for each option, or for
    right / partly right / wrong where answers are typed or ordered; then no answer."""
    answers = Answer.objects.filter(attempt__live_game=game, question=question)
    options = {o.pk: o for o in question.options.all()}
    if question.kind == Kind.CHRONOLOGY or (question.kind == Kind.YEAR and not options):
        rows = answers.aggregate(
            right=Count("pk", filter=Q(credit__gte=1.0)),
            partly=Count("pk", filter=Q(credit__gt=0, credit__lt=1.0)),
            wrong=Count("pk", filter=Q(credit=0, answered_at__isnull=False)),
            none=Count("pk", filter=Q(answered_at__isnull=True)),
        )
        bars = [
            Bar(_("Right"), rows["right"], True),
            Bar(_("Partly right"), rows["partly"], False),
            Bar(_("Wrong"), rows["wrong"], False),
        ]
        missing = rows["none"]
    else:
        chosen = dict(
            answers.filter(answered_at__isnull=False)
            .values_list("response__option")
            .annotate(n=Count("pk"))
        )
        order = game.option_order or list(options)
        bars = [
            Bar(options[pk].text, chosen.get(pk, 0), options[pk].is_correct)
            for pk in order
            if pk in options
        ]
        missing = answers.filter(answered_at__isnull=True).count()
    bars.append(Bar(_("No answer"), missing, False))
    top = max((bar.count for bar in bars), default=0) or 1
    for bar in bars:
        bar.percent = round(100 * bar.count / top)
    return bars
