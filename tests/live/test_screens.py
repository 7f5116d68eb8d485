from django.utils import timezone

from quiz.core.models import LiveGame
from quiz.live import game as live
from quiz.live import screens


def _answer_first(game, attempt):
    game = LiveGame.objects.select_related("question_set").get(pk=game.pk)
    question = screens.current_question(game)
    if question.kind == "multiple_choice":
        option = next(o for o in question.ordered_options if o.is_correct)
        response = {"option": option.pk}
    elif question.kind == "year":
        response = {"year": question.answer_year}
    else:
        response = {"order": [o.pk for o in question.correct_order()]}
    live.answer(game, attempt, game.current_index, question, response, timezone.now())


def test_every_players_screen_drawn_together_is_the_one_drawn_for_them_alone(
    live_set, classroom, teacher, players
):
    now = timezone.now()
    game = live.host(live_set, classroom, teacher, now)
    attempts = [live.join(game, p, now) for p in players]
    seen_phases = []

    def compare():
        fresh = LiveGame.objects.select_related("question_set").get(pk=game.pk)
        board = screens.board(fresh)
        together = screens.render_all(board, [a.pk for a in attempts], now)
        assert len(attempts) == 3
        for attempt in attempts:
            seat = board.seats[attempt.pk]
            alone = screens.render(board, seat, board.answers.get(attempt.pk), now)
            assert together[attempt.pk] == alone, (fresh.phase, attempt.student.username)
        seen_phases.append(fresh.phase)
        return fresh

    game = compare()  # the lobby
    for _question in range(3):
        game = live.advance(game.pk, game.version, now)
        # Only the first player answers, so the scores (and ranks) differ.
        _answer_first(game, attempts[0])
        game = compare()  # the question, one answer in
        game = live.advance(game.pk, game.version, now)
        game = compare()  # the answer chart
        game = live.advance(game.pk, game.version, now)
        game = compare()  # the leaderboard
    game = live.advance(game.pk, game.version, now)
    compare()  # the podium

    assert seen_phases[:4] == ["lobby", "question", "reveal", "leaderboard"]
    assert seen_phases[-1] == "ended"
