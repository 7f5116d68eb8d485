import segno
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from quiz.core import names
from quiz.core.models import Attempt, LeaderboardNames, LiveGame, LivePhase, QuestionSet
from quiz.env import lan_address
from quiz.live import game as live
from quiz.live import screens
from quiz.live.forms import HostForm, JoinForm, VersionForm
from quiz.play.forms import AnswerForm

REFUSALS = {
    "ended": _("That game has ended."),
    "removed": _("The teacher removed you from this game."),
    "not_in_class": _("That game is for another class."),
    "empty": _("This set has no questions yet."),
    "no_code": _("No free game code: end a game that is still open and try again."),
}


def _game_for_host(request, pk) -> LiveGame:
    """Another teacher's game is a 404: the school admin may see every game."""
    games = LiveGame.objects.select_related("question_set", "classroom")
    if not request.user.is_superuser:
        games = games.filter(host=request.user)
    return get_object_or_404(games, pk=pk)


def _player_attempt(request, pk) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("live_game__question_set", "question_set"),
        live_game_id=pk,
        student=request.user,
    )


def _render(request, template, context, status=200):
    if request.htmx:
        template += "#live"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _standings(game: LiveGame, viewer, *, for_projector: bool) -> list[dict]:
    """Everyone's rank and score, named as the set's leaderboard setting says (the
    teacher's own screen always has names, and usernames where two names are shared)."""
    attempts = list(live.players(game))
    shared = names.shared_names(names.name_of(a.student) for a in attempts)
    rows, rank, last_score = [], 0, None
    for place, attempt in enumerate(attempts, start=1):
        if attempt.score != last_score:
            rank, last_score = place, attempt.score
        name = names.name_of(attempt.student)
        if not for_projector:
            shown = names.told_apart(name, attempt.student.get_username(), shared)
        elif game.question_set.leaderboard == LeaderboardNames.NAMES:
            shown = name
        else:
            shown = names.initials_of(name)
        rows.append(
            {
                "rank": rank,
                "name": shown,
                "score": attempt.score,
                "student_pk": attempt.student_id,
                "is_me": attempt.student_id == viewer.pk,
            }
        )
    return rows


def join_url(request, game: LiveGame) -> str:
    """The address pupils' devices reach this server by: a teacher working on the
    server itself (localhost) gets the machine's LAN address, with the same port."""
    host = request.get_host()
    name, _colon, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    if name in ("localhost", "127.0.0.1", "[::1]"):
        address = lan_address()
        if address:
            host = f"{address}:{port}" if port else address
    path = reverse("live:join") + "?" + urlencode({"code": game.code})
    return f"{request.scheme}://{host}{path}"


def _board(request, game: LiveGame, now, *, for_projector: bool) -> dict:
    question = screens.current_question(game)
    context = {
        "game": game,
        "question": question,
        "clock": screens.clock(game, now),
        "players": list(live.players(game)) if game.phase == LivePhase.LOBBY else [],
        "player_count": Attempt.objects.filter(live_game=game).count(),
        "answered": live.answered_count(game) if game.phase == LivePhase.QUESTION else 0,
        "for_projector": for_projector,
        "page_url": reverse("live:screen" if for_projector else "live:host", args=[game.pk]),
    }
    if game.phase == LivePhase.LOBBY:
        url = join_url(request, game)
        context["join_url"] = url
        # What pupils type: the address without its scheme or the code.
        context["join_address"] = url.split("?")[0].split("://", 1)[1]
        context["qr_svg"] = segno.make(url, error="m").svg_inline(
            scale=6, border=2, title=_("QR code of the join address")
        )
    if game.phase == LivePhase.REVEAL and question is not None:
        context["bars"] = live.distribution(game, question)
    if game.phase in (LivePhase.LEADERBOARD, LivePhase.ENDED):
        hidden = for_projector and game.question_set.leaderboard == LeaderboardNames.HIDDEN
        standings = [] if hidden else _standings(game, request.user, for_projector=for_projector)
        context["leaders"] = standings[:5]
        context["podium"] = standings[:3]
        context["leaderboard_hidden"] = hidden
    return context


# The teacher


@staff_member_required
def host_new(request, set_pk):
    question_set = get_object_or_404(QuestionSet, pk=set_pk)
    form = HostForm(request.POST or None, teacher=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            game = live.host(question_set, form.cleaned_data["classroom"], request.user, now())
        except live.Refused as refusal:
            messages.error(request, REFUSALS[str(refusal)])
        else:
            return redirect(game)
    status = 400 if form.errors else 200
    return render(request, "live/host_new.html", {"set": question_set, "form": form}, status=status)


@require_safe
@staff_member_required
def host_view(request, pk):
    game = live.settle(_game_for_host(request, pk), now())
    context = _board(request, game, now(), for_projector=False)
    if game.phase != LivePhase.LOBBY:
        context["standings"] = _standings(game, request.user, for_projector=False)
    return _render(request, "live/host.html", context)


@require_safe
@staff_member_required
def screen(request, pk):
    game = live.settle(_game_for_host(request, pk), now())
    return _render(request, "live/screen.html", _board(request, game, now(), for_projector=True))


@require_POST
@staff_member_required
def advance(request, pk):
    game = _game_for_host(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        live.advance(game.pk, form.cleaned_data["version"], now())
    return redirect(game)


@require_POST
@staff_member_required
def end(request, pk):
    game = _game_for_host(request, pk)
    live.end(game.pk, now())
    return redirect(game)


@require_POST
@staff_member_required
def remove(request, pk, student_pk):
    game = _game_for_host(request, pk)
    if not Attempt.objects.filter(live_game=game, student_id=student_pk).exists():
        raise Http404
    live.remove_player(game.pk, student_pk)
    return redirect(game)


@require_safe
@staff_member_required
def host_players(request, pk):
    """The lobby's list of who has joined, refreshed on the host's and projector's screens."""
    game = _game_for_host(request, pk)
    return render(
        request,
        "live/_players.html",
        {
            "game": game,
            "players": list(live.players(game)),
            "player_count": Attempt.objects.filter(live_game=game).count(),
            "answered": live.answered_count(game) if game.phase == LivePhase.QUESTION else 0,
            "for_projector": request.GET.get("screen") == "1",
        },
    )


# The players


@login_required
def join(request):
    form = JoinForm(request.POST or request.GET or None)
    if request.method == "POST" and form.is_valid():
        game = (
            LiveGame.objects.filter(code=form.cleaned_data["code"])
            .exclude(phase=LivePhase.ENDED)
            .first()
        )
        if game is None:
            form.add_error("code", _("No game has that code. Check the screen."))
        else:
            try:
                live.join(game, request.user, now())
            except live.Refused as refusal:
                form.add_error("code", REFUSALS[str(refusal)])
            else:
                return redirect("live:play", game.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "live/join.html", {"form": form}, status=status)


def _screen(request, attempt: Attempt, game: LiveGame, *, form=None, status=200, question=None):
    """The player's screen, drawn as the event stream draws it (quiz.live.screens)."""
    board = screens.board(game, for_attempt=attempt.pk, question=question)
    seat = board.seats.get(attempt.pk)
    if seat is None:
        raise Http404  # removed from the game a moment ago
    context = screens.context(board, seat, board.answers.get(attempt.pk), now(), form=form)
    return _render(request, "live/play.html", context, status=status)


@require_safe
@login_required
def play(request, pk):
    try:
        attempt = _player_attempt(request, pk)
    except Http404:
        game = LiveGame.objects.filter(pk=pk).exclude(phase=LivePhase.ENDED).first()
        if game is None:
            raise
        return redirect(reverse("live:join") + "?" + urlencode({"code": game.code}))
    game = live.settle(attempt.live_game, now())
    return _screen(request, attempt, game)


@require_POST
@login_required
def answer(request, pk):
    attempt = _player_attempt(request, pk)
    game = live.settle(attempt.live_game, now())
    question = screens.current_question(game)
    if game.phase != LivePhase.QUESTION or question is None:
        # Too late, or a resend after the question closed: show where the game is.
        return _screen(request, attempt, game)
    form = AnswerForm(request.POST, question=question, options=question.ordered_options)
    if not form.is_valid():
        status = 422 if request.htmx else 400
        return _screen(request, attempt, game, form=form, status=status, question=question)
    live.answer(
        game,
        attempt,
        form.cleaned_data["position"],
        question,
        form.response(),
        now(),
        claimed_left=form.claimed_seconds_left(),
    )
    if not request.htmx:
        return redirect("live:play", game.pk)
    asked = game.current_index
    game.refresh_from_db()
    # Still this question (on it, or its answer shown): no need to read it again.
    return _screen(
        request, attempt, game, question=question if game.current_index == asked else None
    )


def now():
    return timezone.now()


@require_safe
@login_required
def state(request, pk):
    """The game's version, for a device whose push stream is down: 'still N?'."""
    attempt_or_host = (
        Attempt.objects.filter(live_game_id=pk, student=request.user).exists()
        or LiveGame.objects.filter(pk=pk, host=request.user).exists()
        or request.user.is_superuser
    )
    if not attempt_or_host:
        raise Http404
    version = LiveGame.objects.filter(pk=pk).values_list("version", flat=True).first()
    if version is None:
        raise Http404
    return HttpResponse(str(version), content_type="text/plain")
