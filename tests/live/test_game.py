from datetime import timedelta

import pytest
from django.utils import timezone

from quiz.core.models import Answer, Attempt, LiveGame, LivePhase, Scoring
from quiz.live import game as live
from quiz.live import screens
from tests.factories import ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db


def correct_option(question):
    return next(o for o in question.options.all() if o.is_correct)


def wrong_option(question):
    return next(o for o in question.options.all() if not o.is_correct)


@pytest.fixture
def game(live_set, classroom, teacher):
    return live.host(live_set, classroom, teacher, timezone.now())


def started(game, players, now=None):
    now = now or timezone.now()
    attempts = [live.join(game, p, now) for p in players]
    game = live.advance(game.pk, game.version, now)
    return game, attempts


def question_of(game):
    from quiz.core.models import Question

    return Question.objects.prefetch_related("options").get(
        pk=game.question_ids[game.current_index]
    )


def test_a_game_gets_a_six_digit_code_that_no_open_game_shares(
    live_set, classroom, teacher, monkeypatch
):
    first = live.host(live_set, classroom, teacher, timezone.now())
    assert len(first.code) == 6 and first.code.isdigit()
    codes = iter([first.code, first.code, "424242"])
    monkeypatch.setattr(live, "new_code", lambda: next(codes))
    second = live.host(live_set, classroom, teacher, timezone.now())
    assert second.code == "424242"


def test_an_ended_games_code_may_be_drawn_again(game, live_set, classroom, teacher, monkeypatch):
    live.end(game.pk, timezone.now())
    monkeypatch.setattr(live, "new_code", lambda: game.code)
    assert live.host(live_set, classroom, teacher, timezone.now()).code == game.code


def test_a_set_without_questions_cannot_be_hosted(classroom, teacher):
    from tests.factories import QuestionSetFactory

    with pytest.raises(live.Refused, match="empty"):
        live.host(QuestionSetFactory(), classroom, teacher, timezone.now())


def test_joining_twice_resumes_the_same_attempt(game, student):
    first = live.join(game, student, timezone.now())
    again = live.join(game, student, timezone.now())
    assert first.pk == again.pk and first.is_live
    assert Attempt.objects.filter(live_game=game).count() == 1


def test_a_student_of_another_class_may_not_join(game):
    outsider = StudentFactory(classroom=ClassroomFactory())
    with pytest.raises(live.Refused, match="not_in_class"):
        live.join(game, outsider, timezone.now())


def test_a_student_with_a_self_paced_attempt_open_at_the_set_may_still_join(game, student):
    Attempt.objects.create(student=student, question_set=game.question_set, question_ids=[1])
    assert live.join(game, student, timezone.now()).live_game == game


def test_next_opens_the_first_question_for_everyone_with_its_clock(game, players):
    now = timezone.now()
    game, _attempts = started(game, players, now)
    assert game.phase == LivePhase.QUESTION and game.current_index == 0
    assert game.deadline == now + timedelta(seconds=20)
    assert sorted(game.option_order) == sorted(o.pk for o in question_of(game).options.all())
    assert set(Attempt.objects.filter(live_game=game).values_list("current_index", flat=True)) == {
        0
    }


def test_a_double_click_on_next_moves_the_game_once(game, players):
    seen = game.version
    live.advance(game.pk, seen, timezone.now())
    again = live.advance(game.pk, seen, timezone.now())
    assert again.current_index == 0 and again.phase == LivePhase.QUESTION


def test_an_answer_is_stored_once_and_scored_once(game, players):
    game, (ada, *_rest) = started(game, players)
    question = question_of(game)
    response = {"option": correct_option(question).pk}
    first = live.answer(game, ada, 0, question, response, timezone.now())
    again = live.answer(game, ada, 0, question, response, timezone.now())
    assert first.accepted and not again.accepted and again.reason == "already_answered"
    assert Answer.objects.filter(attempt=ada).count() == 1
    ada.refresh_from_db()
    assert ada.score == 100 and ada.correct_count == 1


def test_an_answer_after_the_deadline_and_its_grace_is_refused(game, players, settings):
    settings.QUIZ_GRACE_SECONDS = 2
    game, (ada, *_rest) = started(game, players)
    question = question_of(game)
    late = game.deadline + timedelta(seconds=3)
    outcome = live.answer(game, ada, 0, question, {"option": correct_option(question).pk}, late)
    assert outcome.reason == "late"
    assert not Answer.objects.filter(attempt=ada).exists()


def test_an_answer_to_another_question_than_the_current_one_is_refused(game, players):
    game, (ada, *_rest) = started(game, players)
    outcome = live.answer(game, ada, 1, question_of(game), {"option": 1}, timezone.now())
    assert outcome.reason == "not_current"


def test_the_question_closes_when_everyone_has_answered(game, players):
    game, attempts = started(game, players)
    question = question_of(game)
    for attempt in attempts:
        live.answer(
            game, attempt, 0, question, {"option": wrong_option(question).pk}, timezone.now()
        )
    assert LiveGame.objects.get(pk=game.pk).phase == LivePhase.REVEAL


def test_time_up_closes_the_question_and_stores_a_timed_out_answer_for_the_silent(
    game, players, settings
):
    settings.QUIZ_GRACE_SECONDS = 2
    game, (ada, ben, cy) = started(game, players)
    question = question_of(game)
    live.answer(game, ada, 0, question, {"option": correct_option(question).pk}, timezone.now())
    Attempt.objects.filter(pk=ben.pk).update(streak=3)
    game = live.settle(game, game.deadline + timedelta(seconds=2.5))
    assert game.phase == LivePhase.REVEAL
    silent = Answer.objects.filter(attempt__in=[ben, cy])
    assert silent.count() == 2 and all(a.timed_out for a in silent)
    assert Attempt.objects.get(pk=ben.pk).streak == 0


def test_the_distribution_counts_each_option_and_the_silent(game, players):
    game, (ada, ben, _cy) = started(game, players)
    question = question_of(game)
    right, wrong = correct_option(question), wrong_option(question)
    live.answer(game, ada, 0, question, {"option": right.pk}, timezone.now())
    live.answer(game, ben, 0, question, {"option": right.pk}, timezone.now())
    game = live.advance(game.pk, LiveGame.objects.get(pk=game.pk).version, timezone.now())
    bars = {bar.label: (bar.count, bar.correct) for bar in live.distribution(game, question)}
    assert bars[right.text] == (2, True)
    assert bars[wrong.text] == (0, False)
    assert bars["No answer"] == (1, False)


def test_the_whole_game_leaves_a_finished_attempt_per_player(game, players):
    game, _attempts = started(game, players)
    while not game.is_over:
        game = live.advance(game.pk, game.version, timezone.now())
    attempts = list(Attempt.objects.filter(live_game=game))
    assert len(attempts) == 3
    for attempt in attempts:
        assert attempt.is_finished and attempt.question_total == 3
        assert attempt.answers.count() == 3  # each timed out, none missing


def test_a_game_ended_early_is_scored_out_of_the_questions_it_asked(game, players):
    game, attempts = started(game, players)
    live.end(game.pk, timezone.now())
    attempt = Attempt.objects.get(pk=attempts[0].pk)
    assert attempt.is_finished and attempt.question_total == 1 and attempt.max_score == 100


def test_speed_points_count_the_time_the_page_showed_up_to_the_grace_period(
    live_set, classroom, teacher, players, settings
):
    settings.QUIZ_GRACE_SECONDS = 2
    live_set.scoring = Scoring.SPEED
    live_set.save()
    game, (ada, ben, _cy) = started(
        live.host(live_set, classroom, teacher, timezone.now()), players
    )
    question = question_of(game)
    right = {"option": correct_option(question).pk}
    # Reached the server 1 s after the deadline, sent with 4 s left: 1 s (the grace
    # bound) is what the server can vouch for; with no claim the server's clock says 0.
    at = game.deadline + timedelta(seconds=1)
    live.answer(game, ada, 0, question, right, at, claimed_left=4)
    live.answer(game, ben, 0, question, right, at)
    points = dict(Answer.objects.filter(attempt__live_game=game).values_list("attempt", "points"))
    assert points[ada.pk] == round(100 * (0.5 + 0.5 * 1 / 20))
    assert points[ben.pk] == 50


def test_a_removed_player_loses_their_place_and_cannot_rejoin(game, players):
    game, (ada, *_rest) = started(game, players)
    question = question_of(game)
    live.answer(game, ada, 0, question, {"option": correct_option(question).pk}, timezone.now())
    live.remove_player(game.pk, ada.student_id)
    assert not Attempt.objects.filter(pk=ada.pk).exists()
    with pytest.raises(live.Refused, match="removed"):
        live.join(LiveGame.objects.get(pk=game.pk), ada.student, timezone.now())


def test_ranks_share_a_place_on_equal_scores(game, players):
    game, (ada, ben, cy) = started(game, players)
    Attempt.objects.filter(pk__in=[ada.pk, ben.pk]).update(score=100)
    board = screens.board(LiveGame.objects.get(pk=game.pk))
    assert [board.rank_of(board.seats[a.pk].score) for a in (ada, ben, cy)] == [1, 1, 3]


def test_a_game_left_open_for_hours_is_ended_and_its_attempts_finished(game, players):
    game, _attempts = started(game, players)
    assert live.end_stale(game.question_started_at + timedelta(hours=1)) == 0
    assert live.end_stale(game.question_started_at + timedelta(hours=4)) == 1
    assert LiveGame.objects.get(pk=game.pk).is_over
    attempts = list(Attempt.objects.filter(live_game=game))
    assert len(attempts) == 3 and all(a.is_finished for a in attempts)
