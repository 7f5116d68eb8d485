"""The state machine of a sitting. Every change but an answer happens in a
transaction that first locks the attempt, so two tabs, a double click or a retry
serialize and the second sees what the first did. An answer needs no lock: only
an open answer is written (a guarded UPDATE), and its score is added in the same
transaction, so of two tabs answering at once exactly one scores."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from quiz.core.models import (
    Answer,
    Attempt,
    Feedback,
    Kind,
    Question,
    QuestionSet,
    StudentProfile,
)
from quiz.play.scoring import credit_for, points_for

QUESTION, FEEDBACK, FINISHED = "question", "feedback", "finished"


@dataclass
class State:
    step: str
    attempt: Attempt
    answer: Answer | None = None
    seconds_left: int = 0
    # When the browser should ask what comes next: just after the deadline and its grace,
    # once, so a class reaching a deadline together sends one request each, not ten.
    closes_in_ms: int = 0


# Past deadline + grace, so the one request finds the question closed.
ASK_MARGIN = timedelta(milliseconds=300)


def _asking(attempt: Attempt, answer: Answer, now) -> State:
    seconds_left = max(0, round((answer.deadline - now).total_seconds()))
    closes_in = answer.deadline + grace() + ASK_MARGIN - now
    closes_in_ms = max(0, round(closes_in.total_seconds() * 1000))
    return State(QUESTION, attempt, answer, seconds_left, closes_in_ms)


class NotAllowed(Exception):
    """The student may not start this set (closed, no attempts left...)."""


def grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def attempts_used(student, question_set) -> int:
    # A live game is the class's, not one of the student's attempts at the set.
    return Attempt.objects.filter(
        student=student, question_set=question_set, live_game=None
    ).count()


def attempts_left(student, question_set) -> int | None:
    if question_set.attempts_allowed == 0:
        return None
    return max(0, question_set.attempts_allowed - attempts_used(student, question_set))


def sets_open_to(user, now):
    """What a student may play now; teachers may try any published, open set."""
    if user.is_staff:
        return [s for s in QuestionSet.objects.filter(published=True) if s.is_open(now)]
    return list(QuestionSet.objects.open_for(user, now))


def time_factor_of(user) -> float:
    profile = StudentProfile.objects.filter(user=user).first()
    return profile.time_factor if profile else 1.0


def start(student, question_set, now) -> Attempt:
    """Resume the open attempt, or begin a new one if the set allows it."""
    open_attempt = Attempt.objects.filter(
        student=student, question_set=question_set, finished_at__isnull=True, live_game=None
    ).first()
    if open_attempt:
        return open_attempt
    if question_set not in sets_open_to(student, now):
        raise NotAllowed("closed")
    if attempts_left(student, question_set) == 0:
        raise NotAllowed("no_attempts_left")
    question_ids = [q.pk for q in question_set.ordered_questions()]
    if not question_ids:
        raise NotAllowed("empty")
    if question_set.shuffle:
        random.SystemRandom().shuffle(question_ids)
    if question_set.question_count:
        question_ids = question_ids[: question_set.question_count]
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                student=student,
                question_set=question_set,
                question_ids=question_ids,
                time_factor=time_factor_of(student),
                started_at=now,
            )
    except IntegrityError:
        # Another tab started it a moment ago: resume that one.
        return Attempt.objects.get(
            student=student, question_set=question_set, finished_at__isnull=True, live_game=None
        )


def option_order(question: Question, rng=random) -> list[int]:
    """The order one student sees a question's options in: shuffled unless the teacher
    said not to; year options stay earliest first; a chronology never starts solved.

    The sitting passes the question with its options prefetched, as it then shows them.
    """
    options = list(question.options.all())
    order = [o.pk for o in options]  # the stored order (Option.Meta.ordering)
    if not question.shuffle_options or question.kind == Kind.YEAR or len(order) < 2:
        return order
    rng.shuffle(order)
    if question.kind == Kind.CHRONOLOGY:
        solved = [o.pk for o in sorted(options, key=lambda o: o.correct_position or 0)]
        if order == solved:
            order = order[1:] + order[:1]
    return order


def _locked(attempt_pk, student=None) -> Attempt:
    """The attempt, locked; with `student`, only theirs (Attempt.DoesNotExist otherwise)."""
    attempts = Attempt.objects.select_for_update().select_related("question_set")
    if student is not None:
        attempts = attempts.filter(student=student)
    return attempts.get(pk=attempt_pk)


def _current_answer(attempt: Attempt, *, for_display=False) -> Answer | None:
    answers = Answer.objects.filter(attempt=attempt, position=attempt.current_index)
    if for_display:
        # The fragment shows the question and its options; its sources only as
        # feedback, which loads them then (a question being asked needs none).
        answers = answers.select_related("question").prefetch_related("question__options")
    return next(iter(answers), None)


def _peek(attempt_pk, now, attempt=None) -> State | None:
    """The state when nothing needs writing (the common case), without a lock.

    On SQLite every transaction here takes the database's write lock, so a
    page view that only reads must not open one.
    """
    if attempt is None:
        attempt = Attempt.objects.select_related("question_set").get(pk=attempt_pk)
    if attempt.is_finished:
        return State(FINISHED, attempt)
    answer = _current_answer(attempt, for_display=True)
    if answer is None:
        return None
    if not answer.is_closed and now <= answer.deadline + grace():
        return _asking(attempt, answer, now)
    if (
        answer.is_closed
        and attempt.question_set.feedback == Feedback.EACH
        and not answer.feedback_seen
    ):
        return State(FEEDBACK, attempt, answer)
    return None


def _close_timed_out(attempt: Attempt, answer: Answer, now) -> None:
    if not answer.is_closed and now > answer.deadline + grace():
        Answer.objects.filter(pk=answer.pk, answered_at__isnull=True).update(timed_out=True)
        answer.timed_out = True
        Attempt.objects.filter(pk=attempt.pk).update(streak=0)
        attempt.streak = 0


def _advance(attempt: Attempt, now) -> None:
    attempt.current_index += 1
    fields = ["current_index"]
    if attempt.current_index >= attempt.question_total:
        attempt.finished_at = now
        fields.append("finished_at")
    attempt.save(update_fields=fields)


def state(attempt_pk, now, attempt: Attempt | None = None) -> State:
    """Where the sitting is now; shows (and starts the clock of) the next question.

    `attempt`, if given, was loaded by this request a moment ago.
    """
    peeked = _peek(attempt_pk, now, attempt)
    if peeked is not None:
        return peeked
    with transaction.atomic():
        return _settle(_locked(attempt_pk), now)


def _settle(attempt: Attempt, now) -> State:
    """Close what timed out, move past what is done, show the next question."""
    while not attempt.is_finished:
        answer = _current_answer(attempt)
        if answer is None:
            # Loaded with its options once: to shuffle them and to show them.
            question = Question.objects.prefetch_related("options").get(
                pk=attempt.question_ids[attempt.current_index]
            )
            answer = Answer.objects.create(
                attempt=attempt,
                question=question,
                option_order=option_order(question),
                position=attempt.current_index,
                shown_at=now,
                deadline=now + timedelta(seconds=attempt.seconds_allowed()),
            )
        _close_timed_out(attempt, answer, now)
        if not answer.is_closed:
            return _asking(attempt, answer, now)
        if attempt.question_set.feedback == Feedback.EACH and not answer.feedback_seen:
            return State(FEEDBACK, attempt, answer)
        _advance(attempt, now)
    return State(FINISHED, attempt)


def seconds_left_as_sent(deadline, now, claimed_left: float | None) -> float:
    """The seconds left when the answer was sent: the page's claim (what its countdown
    showed), believed up to the grace period past the server's own clock, never beyond."""
    left = (deadline - now).total_seconds()
    if claimed_left is not None:
        left = min(claimed_left, left + grace().total_seconds())
    return left


@dataclass
class Outcome:
    accepted: bool
    reason: str = ""  # "", "late", "already_answered", "not_current"
    # When accepted: the sitting as it stands right after this answer.
    state: State | None = None


def answer(
    attempt_pk,
    position: int,
    response: dict,
    now,
    question=None,
    *,
    asked: State | None = None,
    claimed_left: float | None = None,
) -> Outcome:
    """Record an answer once; a repeat, a stale tab or a late answer scores nothing.

    The reads take no lock (`asked`, if given, is the question as this request just
    read it): what lets exactly one answer through is the guarded UPDATE of the answer,
    which only writes an answer still open, in one short transaction with the score.

    `claimed_left` is the seconds the student's countdown showed as the answer left.
    A slow server must not cost the student: the claim is believed up to the grace
    period (the time an answer may spend in transit or queued), never beyond it.
    """
    if asked is not None and asked.step == QUESTION:
        attempt, answer = asked.attempt, asked.answer
    else:
        attempt = Attempt.objects.select_related("question_set").get(pk=attempt_pk)
        answer = None if attempt.is_finished else _current_answer(attempt)
    if attempt.is_finished or position != attempt.current_index or answer is None:
        return Outcome(False, "not_current")
    if answer.is_closed:
        return Outcome(False, "already_answered")
    if question is None or question.pk != answer.question_id:
        question = Question.objects.prefetch_related("options").get(pk=answer.question_id)
    late = now > answer.deadline + grace()
    credit = 0.0 if late else credit_for(question, response)
    # The streak changes only when an answer closes, and this one is still open.
    streak = attempt.streak + 1 if credit >= 1.0 else 0
    allowed = attempt.seconds_allowed()
    left = seconds_left_as_sent(answer.deadline, now, claimed_left)
    points = points_for(
        attempt.question_set.scoring,
        credit,
        time_fraction_left=left / allowed if allowed else 0,
        streak=streak,
    )
    with transaction.atomic():
        updated = Answer.objects.filter(
            pk=answer.pk, answered_at__isnull=True, timed_out=False
        ).update(answered_at=now, response=response, late=late, credit=credit, points=points)
        if not updated:
            return Outcome(False, "already_answered")
        Attempt.objects.filter(pk=attempt.pk).update(
            score=F("score") + points,
            correct_count=F("correct_count") + (1 if credit >= 1.0 else 0),
            streak=streak,
        )
        attempt.score += points
        attempt.correct_count += 1 if credit >= 1.0 else 0
        attempt.streak = streak
        answer.answered_at, answer.response, answer.late = now, response, late
        answer.credit, answer.points, answer.question = credit, points, question
        if attempt.question_set.feedback == Feedback.EACH:
            after = State(FEEDBACK, attempt, answer)
        else:
            # No feedback to read: on to the next question in the same transaction (this
            # answer was open until now, so nobody else can have moved the sitting on).
            _advance(attempt, now)
            after = _settle(attempt, now)
    return Outcome(True, "late" if late else "", after)


def next_question(attempt_pk, position: int, now, student=None) -> State:
    """The student read the feedback on `position`; idempotent. Returns what follows.

    With `student`, only their attempt (Attempt.DoesNotExist otherwise).
    """
    with transaction.atomic():
        attempt = _locked(attempt_pk, student)
        if not attempt.is_finished and position == attempt.current_index:
            answer = _current_answer(attempt)
            if answer is not None:
                _close_timed_out(attempt, answer, now)
                if answer.is_closed:
                    Answer.objects.filter(pk=answer.pk).update(feedback_seen=True)
                    _advance(attempt, now)
        return _settle(attempt, now)


def finish_abandoned(now, idle=timedelta(minutes=10), attempts=None) -> int:
    """Finish sittings nobody has touched since their last deadline (plus `idle`)."""
    finished = 0
    attempts = Attempt.objects.all() if attempts is None else attempts
    # A live game's attempts end with the game (quiz.live.game.end_stale for a forgotten one).
    for attempt in attempts.filter(finished_at__isnull=True, live_game=None):
        last = attempt.answers.order_by("-position").first()
        last_activity = max([attempt.started_at] + ([last.deadline] if last else []))
        if now > last_activity + grace() + idle:
            with transaction.atomic():
                locked = _locked(attempt.pk)
                if locked.is_finished:
                    continue
                Answer.objects.filter(attempt=locked, answered_at__isnull=True).update(
                    timed_out=True
                )
                locked.finished_at = now
                locked.save(update_fields=["finished_at"])
                finished += 1
    return finished


def finish_abandoned_for(student, now, idle=timedelta(minutes=10)) -> int:
    """Like finish_abandoned, for one student's sittings (cheap on every page)."""
    return finish_abandoned(now, idle, Attempt.objects.filter(student=student))
