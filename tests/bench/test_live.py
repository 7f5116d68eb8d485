"""`make bench-live`: it reads the players' screens as the page does, and a small game
against a real server (killed and restarted mid-game) stores every answer once."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.bench.http import Response
from quiz.bench.live.screens import parse_screen
from quiz.live import game as live

ROOT = Path(__file__).resolve().parent.parent.parent


def screen(response):
    headers = {k.lower(): v for k, v in response.items()}
    return parse_screen(Response(response.status_code, headers, [], response.content.decode(), 0))


@pytest.mark.django_db
def test_the_live_benchmark_reads_every_screen_a_player_sees(
    client, live_set, classroom, teacher, student
):
    game = live.host(live_set, classroom, teacher, timezone.now())
    client.force_login(student)
    client.post(reverse("live:join"), {"code": game.code})
    page = reverse("live:play", args=[game.pk])

    assert screen(client.get(page, HTTP_HX_REQUEST="true")).phase == "lobby"
    shown = []
    for _question in range(3):
        live.advance(game.pk, game.version, timezone.now())
        game.refresh_from_db()
        asked = screen(client.get(page, HTTP_HX_REQUEST="true"))
        assert asked.phase == "question" and asked.asks and not asked.answered
        shown.append("options" if asked.options else "places" if asked.places else "year")
        if asked.options:
            form = {"option": asked.options[0]}
        elif asked.places:
            form = {f"place_{pk}": n for n, pk in enumerate(asked.places, start=1)}
        else:
            assert asked.has_year
            form = {"year": 1917}
        reply = client.post(
            reverse("live:answer", args=[game.pk]),
            {"position": asked.position, **form},
            HTTP_HX_REQUEST="true",
        )
        # The only player answered: the question closed at once.
        assert screen(reply).phase == "reveal" and screen(reply).answered
        game.refresh_from_db()
        live.advance(game.pk, game.version, timezone.now())
        game.refresh_from_db()
    live.advance(game.pk, game.version, timezone.now())

    assert shown == ["options", "year", "places"]
    assert screen(client.get(page, HTTP_HX_REQUEST="true")).phase == "ended"


def test_a_small_live_game_survives_a_server_restart_with_every_answer_stored_once(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "quiz.bench.live", "--players", "6", "--questions", "3",
         "--seconds-per-question", "12", "--think", "0.2", "1", "--join-window", "1",
         "--pause", "0.3", "--workers", "1", "--restart", "--data-dir", str(tmp_path / "b")],
        capture_output=True, text=True, timeout=280, cwd=ROOT,
    )  # fmt: skip
    out = result.stdout + result.stderr

    assert "joins: 6 of 6 players joined (6 attempts in the database)" in out, out
    assert "lost 0, doubled 0" in out and "score mismatches 0" in out, out
    assert "6 players saw the podium" in out, out
    assert "the server was killed and answering again" in out, out
    assert "met    0 lost, 0 doubled, scores add up, 0 5xx" in out, out
    assert "met    every device heard every move" in out, out
    assert "met    every player answered every question" in out, out
