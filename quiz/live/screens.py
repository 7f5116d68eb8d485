"""A player's screen, made from what every screen of one version of the game shares.

When the teacher moves the game on, 500 devices need their screen at once. Each
asking for it would be 500 requests of a dozen queries; instead each server
process reads the version once (the Board: the game, its question, everyone's
score and answer to it) and renders each of its players' screens from it, and
the event stream pushes them. A page load, an answer and a reconnection build
the same context from the player's own fresh rows, so every screen is drawn by
one template from one function.
"""

import bisect
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse

from quiz.core import names
from quiz.core.models import Answer, Attempt, LiveGame, LivePhase, Question
from quiz.live import game as live
from quiz.play.forms import AnswerForm

SCREEN_TEMPLATE = "live/play.html#live"


@dataclass
class Seat:
    """The player, as their screen shows them."""

    pk: int  # their attempt's
    name: str
    score: int


@dataclass
class Board:
    """What every player's screen of one version shares, read in a few queries."""

    game: LiveGame
    question: Question | None
    seats: dict[int, Seat] = field(default_factory=dict)
    # The players' answers to the current question, by attempt (read with the board).
    answers: dict[int, Answer] = field(default_factory=dict)
    scores: list[int] = field(default_factory=list)  # ascending

    @property
    def player_count(self) -> int:
        return len(self.seats)

    def rank_of(self, score: int) -> int:
        """1 + the number of players with more points (equal scores share a rank)."""
        return len(self.scores) - bisect.bisect_right(self.scores, score) + 1


def current_question(game: LiveGame) -> Question | None:
    if game.current_index < 0:
        return None
    question = (
        Question.objects.prefetch_related("options", "sources")
        .filter(pk=game.question_ids[min(game.current_index, game.question_total - 1)])
        .first()
    )
    if question is not None:
        rank = {pk: i for i, pk in enumerate(game.option_order)}
        question.ordered_options = sorted(
            question.options.all(), key=lambda o: rank.get(o.pk, len(rank))
        )
    return question


def board(game: LiveGame, *, for_attempt: int | None = None, question=None) -> Board:
    """The board of the game as it stands. `for_attempt`: one player's screen in the
    lobby or on a question, which shows no rank: only their own seat and answer.
    `question`: the game's current question, when the caller has just read it."""
    if question is None:
        question = current_question(game)
    attempts = Attempt.objects.filter(live_game=game)
    thin = for_attempt is not None and game.phase in (LivePhase.LOBBY, LivePhase.QUESTION)
    if thin:
        attempts = attempts.filter(pk=for_attempt)
    seats = {
        a.pk: Seat(a.pk, names.name_of(a.student), a.score)
        for a in attempts.select_related("student__student_profile").only(
            "pk", "score", "student__username", "student__student_profile__display_name"
        )
    }
    answers = {}
    if question is not None and game.phase != LivePhase.LOBBY:
        rows = Answer.objects.filter(attempt__in=list(seats), question=question)
        answers = {a.attempt_id: a for a in rows}
    return Board(game, question, seats, answers, sorted(s.score for s in seats.values()))


def clock(game: LiveGame, now) -> dict:
    if game.phase != LivePhase.QUESTION:
        return {}
    seconds_left = max(0, round((game.deadline - now).total_seconds()))
    closes_in = game.deadline + live.grace() - now
    return {
        "seconds_left": seconds_left,
        "closes_in_ms": max(0, round(closes_in.total_seconds() * 1000) + 300),
    }


def context(
    board: Board, seat: Seat, mine: Answer | None, now, *, form=None, rank=None, review_url=None
) -> dict:
    """Everything the player's screen shows."""
    game, question = board.game, board.question
    result = {
        "game": game,
        "seat": seat,
        "question": question,
        "clock": clock(game, now),
        "form": form,
        "mine": mine,
        "page_url": reverse("live:play", args=[game.pk]),
    }
    asking = game.phase == LivePhase.QUESTION and question is not None
    if asking and mine is None and form is None:
        result["form"] = AnswerForm(
            question=question,
            options=question.ordered_options,
            initial={"position": game.current_index},
        )
    if game.phase in (LivePhase.REVEAL, LivePhase.LEADERBOARD, LivePhase.ENDED):
        result["rank"] = board.rank_of(seat.score) if rank is None else rank
        result["player_count"] = board.player_count
    if game.phase == LivePhase.ENDED:
        result["review_url"] = review_url or reverse("quiz:result", args=[seat.pk])
    return result


def render(board: Board, seat: Seat, mine: Answer | None, now) -> str:
    return render_to_string(SCREEN_TEMPLATE, context(board, seat, mine, now))


# Stand-ins for what differs between screens otherwise the same (two numbers and
# the podium's link to the player's own review): the template only ever prints
# them, so a screen drawn with these and given each player's own afterwards is
# the screen drawn for that player.
SCORE, RANK, ATTEMPT = "\x00score\x00", "\x00rank\x00", "\x00attempt\x00"


def render_all(board: Board, attempt_pks, now) -> dict[int, str]:
    """The screens of these players (those still in the game). Screens that differ
    only in the score, rank and review link they print are drawn once: at a new
    question or the podium, one drawing serves every player."""
    review_url = reverse("quiz:result", args=[0]).replace("/0/", f"/{ATTEMPT}/")
    phase = board.game.phase
    drawn: dict[tuple, str] = {}
    screens = {}
    for pk in attempt_pks:
        seat = board.seats.get(pk)
        if seat is None:
            continue  # removed from the game: their stream ends
        mine = board.answers.get(pk)
        key = _alike(phase, seat, mine)
        if key not in drawn:
            stand_in = Seat(seat.pk, seat.name, SCORE)
            drawn[key] = render_to_string(
                SCREEN_TEMPLATE,
                context(board, stand_in, mine, now, rank=RANK, review_url=review_url),
            )
        rank = board.rank_of(seat.score)
        screen = drawn[key].replace(SCORE, str(seat.score)).replace(RANK, str(rank))
        screens[pk] = screen.replace(ATTEMPT, str(pk)) if phase == LivePhase.ENDED else screen
    return screens


def _alike(phase: str, seat: Seat, mine: Answer | None) -> tuple:
    """What, besides score and rank, tells one player's screen from another's."""
    if phase == LivePhase.LOBBY:
        return (seat.name,)  # greeted by name
    if phase in (LivePhase.LEADERBOARD, LivePhase.ENDED) or mine is None:
        return ()
    return (mine.timed_out, mine.is_correct, mine.credit, mine.points, mine.answered_at is None)
