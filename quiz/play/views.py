from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from quiz.core import names
from quiz.core.models import Attempt, LeaderboardNames, LiveGame, LivePhase, QuestionSet
from quiz.play import sitting
from quiz.play.forms import AnswerForm, PositionForm


def _get_attempt_for_user(request, pk) -> Attempt:
    """Someone else's attempt is a 404, never a 403: ids reveal nothing."""
    return get_object_or_404(
        Attempt.objects.select_related("question_set"), pk=pk, student=request.user
    )


@require_safe
@login_required
def my_quizzes(request):
    now = timezone.now()
    sitting.finish_abandoned_for(request.user, now)
    rows = []
    best = dict(
        Attempt.objects.filter(student=request.user, finished_at__isnull=False)
        .values_list("question_set")
        .annotate(best=Max("score"))
    )
    time_factor = sitting.time_factor_of(request.user)
    for question_set in sitting.sets_open_to(request.user, now):
        rows.append(
            {
                "set": question_set,
                # What this student gets: extra time is said, not hidden.
                "seconds": round(question_set.seconds_per_question * time_factor),
                "extra_time": time_factor != 1.0,
                "question_total": question_set.question_count or question_set.set_questions.count(),
                "attempts_left": sitting.attempts_left(request.user, question_set),
                "best": best.get(question_set.pk),
                "open_attempt": Attempt.objects.filter(
                    student=request.user,
                    question_set=question_set,
                    finished_at__isnull=True,
                    live_game=None,
                ).first(),
            }
        )
    live_games = (
        LiveGame.objects.filter(classroom__students__user=request.user)
        .exclude(phase=LivePhase.ENDED)
        .select_related("question_set")
    )
    return render(request, "quiz/my_quizzes.html", {"rows": rows, "live_games": list(live_games)})


@require_POST
@login_required
def start(request, pk):
    question_set = get_object_or_404(QuestionSet, pk=pk, published=True)
    try:
        attempt = sitting.start(request.user, question_set, timezone.now())
    except sitting.NotAllowed as refusal:
        text = {
            "closed": _("This quiz is not open now."),
            "no_attempts_left": _("You have used all your attempts at this quiz."),
            "empty": _("This quiz has no questions yet."),
        }[str(refusal)]
        messages.error(request, text)
        return redirect("quiz:my_quizzes")
    return redirect(attempt)


def _render_state(request, state: sitting.State, form=None, status=200):
    if state.step == sitting.FINISHED:
        url = reverse("quiz:result", args=[state.attempt.pk])
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)
    answer = state.answer
    if form is None and state.step == sitting.QUESTION:
        form = AnswerForm(
            question=answer.question,
            options=answer.shown_options(),
            initial={"position": answer.position},
        )
    context = {
        "attempt": state.attempt,
        "state": state,
        "answer": answer,
        "question": answer.question,
        "form": form,
        "number": answer.position + 1,
    }
    template = "quiz/play.html"
    if request.htmx:
        template += "#step"
    response = render(request, template, context, status=status)
    # The same URL answers a whole page or its #step: a cache must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@login_required
def play_view(request, pk):
    attempt = _get_attempt_for_user(request, pk)
    return _render_state(request, sitting.state(attempt.pk, timezone.now(), attempt))


@require_POST
@login_required
def answer(request, pk):
    attempt = _get_attempt_for_user(request, pk)
    now = timezone.now()
    current = sitting.state(attempt.pk, now, attempt)
    if current.step != sitting.QUESTION:
        # Already answered (a double click or a retry) or moved on: show where we are.
        return _render_state(request, current) if request.htmx else redirect(attempt)
    form = AnswerForm(
        request.POST, question=current.answer.question, options=current.answer.shown_options()
    )
    if not form.is_valid():
        return _render_state(request, current, form=form, status=422 if request.htmx else 200)
    outcome = sitting.answer(
        attempt.pk,
        form.cleaned_data["position"],
        form.response(),
        now,
        current.answer.question,
        asked=current,
        claimed_left=form.claimed_seconds_left(),
    )
    if request.htmx:
        return _render_state(request, outcome.state or sitting.state(attempt.pk, timezone.now()))
    return redirect(attempt)


@require_POST
@login_required
def next_question(request, pk):
    form = PositionForm(request.POST)
    if not form.is_valid():
        attempt = _get_attempt_for_user(request, pk)
        return _render_state(request, sitting.state(attempt.pk, timezone.now(), attempt))
    position = form.cleaned_data["position"]
    try:
        # Locked and checked to be theirs in one query.
        after = sitting.next_question(pk, position, timezone.now(), student=request.user)
    except Attempt.DoesNotExist:
        raise Http404 from None
    return _render_state(request, after) if request.htmx else redirect(after.attempt)


@require_safe
@login_required
def result(request, pk):
    attempt = _get_attempt_for_user(request, pk)
    if not attempt.is_finished:
        # The review holds every answer: only once the sitting is over.
        return redirect(attempt)
    answers = attempt.answers.select_related("question").prefetch_related(
        "question__options", "question__sources"
    )
    return render(request, "quiz/result.html", {"attempt": attempt, "answers": answers})


@require_safe
@login_required
def history(request):
    attempts = (
        Attempt.objects.filter(student=request.user, finished_at__isnull=False)
        .select_related("question_set__unit")
        .order_by("started_at")
    )
    by_unit: dict = {}
    for attempt in attempts:
        by_unit.setdefault(attempt.question_set.unit, []).append(attempt)
    units = []
    for unit, unit_attempts in by_unit.items():
        percents = [round(100 * a.score / a.max_score) if a.max_score else 0 for a in unit_attempts]
        units.append(
            {
                "unit": unit,
                "attempts": unit_attempts,
                "percents": percents,
                "change": percents[-1] - percents[0] if len(percents) > 1 else None,
            }
        )
    return render(request, "quiz/history.html", {"units": units, "attempts": attempts[::-1]})


@require_safe
@login_required
def leaderboard(request, pk):
    question_set = get_object_or_404(QuestionSet, pk=pk, published=True)
    if question_set.leaderboard == LeaderboardNames.HIDDEN and not request.user.is_staff:
        raise Http404
    best: dict = {}
    finished = Attempt.objects.filter(question_set=question_set, finished_at__isnull=False)
    for attempt in finished.select_related("student__student_profile").order_by(
        "-score", "finished_at"
    ):
        best.setdefault(attempt.student_id, attempt)
    shared = names.shared_names(names.name_of(a.student) for a in best.values())
    rows = []
    for rank, attempt in enumerate(best.values(), start=1):
        rows.append(
            {
                "rank": rank,
                "name": _leaderboard_name(attempt.student, shared, question_set, request),
                "score": attempt.score,
                "is_me": attempt.student_id == request.user.pk,
            }
        )
    return render(request, "quiz/leaderboard.html", {"set": question_set, "rows": rows})


def _leaderboard_name(student, shared, question_set, request) -> str:
    name = names.name_of(student)
    if (
        request.user.is_staff
        or question_set.leaderboard == LeaderboardNames.NAMES
        or student == request.user
    ):
        return names.told_apart(name, student.get_username(), shared)
    # Initials keep classmates' ranks private, so no username (which spells the
    # name out) is added even when two students share initials.
    return names.initials_of(name)


@require_safe
@staff_member_required
def preview(request, pk):
    """The whole set as a student sees it, with the answers shown (teachers only)."""
    question_set = get_object_or_404(QuestionSet.objects.select_related("unit"), pk=pk)
    questions = [
        sq.question
        for sq in question_set.set_questions.select_related("question").prefetch_related(
            "question__options", "question__sources"
        )
    ]
    return render(request, "quiz/preview.html", {"set": question_set, "questions": questions})
