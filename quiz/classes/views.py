"""Teacher pages for classes: rosters, sign-in sheets, join codes, assignments."""

import secrets

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from quiz.classes import roster
from quiz.classes.forms import (
    AssignmentForm,
    ClassroomForm,
    JoinForm,
    MergeStudentsForm,
    RosterForm,
    StudentForm,
)
from quiz.core.models import Assignment, Classroom, StudentProfile

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not Classroom.objects.filter(join_code=code).exists():
            return code


def _get_classroom_for_teacher(request, pk) -> Classroom:
    """Another teacher's class is a 404; the school admin sees every class."""
    return get_object_or_404(Classroom.objects.for_teacher(request.user), pk=pk)


def _get_student_for_teacher(request, classroom, student_pk) -> StudentProfile:
    return get_object_or_404(
        StudentProfile.objects.select_related("user"), pk=student_pk, classroom=classroom
    )


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def classes(request):
    form = ClassroomForm(request.POST or None, teacher=request.user)
    if request.method == "POST" and form.is_valid():
        classroom = form.save(commit=False)
        classroom.teacher = request.user
        classroom.join_code = new_join_code()
        classroom.save()
        messages.success(request, _("Class %(name)s created.") % {"name": classroom.name})
        return redirect(classroom)
    rows = Classroom.objects.for_teacher(request.user).select_related("teacher")
    return render(request, "teach/classes.html", {"classes": rows, "form": form})


def _classroom_page(
    request, classroom, *, roster_form=None, assignment_form=None, merge_form=None, status=200
):
    students = classroom.students.select_related("user").order_by("display_name")
    context = {
        "classroom": classroom,
        "students": [
            (s, StudentForm(instance=s, teacher=request.user, prefix=f"s{s.pk}")) for s in students
        ],
        "roster_form": roster_form or RosterForm(),
        "assignment_form": assignment_form or AssignmentForm(classroom=classroom),
        "merge_form": merge_form or MergeStudentsForm(classroom=classroom),
        "assignments": classroom.assignments.select_related("question_set"),
    }
    return render(request, "teach/classroom.html", context, status=status)


@staff_member_required
def classroom_detail(request, pk):
    return _classroom_page(request, _get_classroom_for_teacher(request, pk))


@staff_member_required
@require_POST
def add_students(request, pk):
    classroom = _get_classroom_for_teacher(request, pk)
    form = RosterForm(request.POST)
    if not form.is_valid():
        return _classroom_page(request, classroom, roster_form=form, status=400)
    result = roster.add_students(classroom, form.cleaned_data["names"])
    # The sheet is the response itself: passwords are shown once and never stored.
    return render(request, "teach/sign_in_sheet.html", {"classroom": classroom, "result": result})


@staff_member_required
@require_POST
def reset_password(request, pk, student_pk):
    classroom = _get_classroom_for_teacher(request, pk)
    profile = _get_student_for_teacher(request, classroom, student_pk)
    new = roster.reset_password(profile)
    result = roster.RosterResult(created=[new])
    return render(
        request,
        "teach/sign_in_sheet.html",
        {"classroom": classroom, "result": result, "reset": True},
    )


@staff_member_required
@require_POST
def update_student(request, pk, student_pk):
    classroom = _get_classroom_for_teacher(request, pk)
    profile = _get_student_for_teacher(request, classroom, student_pk)
    form = StudentForm(
        request.POST, instance=profile, teacher=request.user, prefix=f"s{profile.pk}"
    )
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved %(name)s.") % {"name": profile.display_name})
    else:
        errors = "; ".join(e for field in form.errors.values() for e in field)
        messages.error(request, _("Not saved: %(errors)s") % {"errors": errors})
    return redirect(classroom)


@staff_member_required
@require_POST
def merge_students(request, pk):
    """Two accounts of one student become one: first confirm, then merge."""
    classroom = _get_classroom_for_teacher(request, pk)
    form = MergeStudentsForm(request.POST, classroom=classroom)
    if not form.is_valid():
        return _classroom_page(request, classroom, merge_form=form, status=400)
    keep, merge = form.cleaned_data["keep"], form.cleaned_data["merge"]
    if form.cleaned_data["confirmed"] != "yes":
        context = {
            "classroom": classroom,
            "form": form,
            "keep": keep,
            "merge": merge,
            "attempts": merge.user.attempts.count(),
        }
        return render(request, "teach/merge_students.html", context)
    result = roster.merge_students(keep, merge, timezone.now())
    messages.success(
        request,
        ngettext(
            "%(removed)s merged into %(kept)s: %(count)d attempt moved; "
            "the account %(removed)s is removed.",
            "%(removed)s merged into %(kept)s: %(count)d attempts moved; "
            "the account %(removed)s is removed.",
            result.attempts_moved,
        )
        % {"removed": result.removed, "kept": result.kept, "count": result.attempts_moved},
    )
    return redirect(classroom)


@staff_member_required
@require_POST
def assign(request, pk):
    classroom = _get_classroom_for_teacher(request, pk)
    form = AssignmentForm(request.POST, classroom=classroom)
    if not form.is_valid():
        return _classroom_page(request, classroom, assignment_form=form, status=400)
    try:
        with transaction.atomic():
            assignment = form.save()
    except IntegrityError:
        messages.error(request, _("That set is already assigned to this class."))
        return redirect(classroom)
    messages.success(
        request,
        _("%(set)s assigned to %(class)s.")
        % {"set": assignment.question_set.title, "class": classroom.name},
    )
    return redirect(classroom)


@staff_member_required
@require_POST
def unassign(request, pk, assignment_pk):
    classroom = _get_classroom_for_teacher(request, pk)
    get_object_or_404(Assignment, pk=assignment_pk, classroom=classroom).delete()
    messages.success(request, _("Assignment removed; results are kept."))
    return redirect(classroom)


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_code(request, pk):
    classroom = _get_classroom_for_teacher(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "new":
            classroom.join_code = new_join_code()
        elif action in ("open", "close"):
            classroom.joining_open = action == "open"
        classroom.save()
        return redirect("teach:join_code", pk=classroom.pk)
    return render(request, "teach/join_code.html", {"classroom": classroom})


@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    """A student joins a class with the code on the projector and their name."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Checked again with the class locked: a double click on "Join"
            # must not make two accounts of one student.
            Classroom.objects.select_for_update().get(pk=form.classroom.pk)
            form = JoinForm(request.POST)
            new = None
            if form.is_valid():
                new = roster.create_student(form.cleaned_data["display_name"], form.classroom)
        if new is not None:
            user = StudentProfile.objects.get(user__username=new.username).user
            login(request, user, backend="quiz.accounts.backends.StudentBackend")
            return render(request, "teach/joined.html", {"new": new, "classroom": form.classroom})
    return render(request, "teach/join.html", {"form": form}, status=400 if form.errors else 200)
