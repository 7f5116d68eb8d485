"""Teacher reports: per set, per question, per class and per student.

Every table on a page downloads as CSV with the same query string plus
`format=csv&table=<name>`. Ids the user may not see are a 404, as is a query
string that does not make sense (an unknown class, table or attempt choice).
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from quiz.core.models import Classroom
from quiz.reports import charts, data
from quiz.reports.csv import csv_response
from quiz.reports.forms import ReportForm, SetReportForm
from quiz.reports.items import MIN_STUDENTS_FOR_DISCRIMINATION, item_analysis
from quiz.reports.tables import (
    CLASS_TABLES,
    INDEX_TABLES,
    ITEM_TABLES,
    SET_TABLES,
    STUDENT_TABLES,
)


def _read(form):
    if not form.is_valid():
        raise Http404("No such report.")
    return form


@require_safe
@staff_member_required
def index(request):
    index = data.index(request.user)
    form = _read(ReportForm(request.GET, tables=list(INDEX_TABLES)))
    if form.wants_csv:
        header, rows = INDEX_TABLES[form.table_name](index)
        return csv_response(f"{form.table_name}.csv", header, rows)
    return render(request, "reports/index.html", {"sets": index.sets, "classes": index.classes})


def _get_set(request, pk):
    """A set the user neither owns nor has assigned to a class is a 404."""
    return get_object_or_404(data.sets_for(request.user).select_related("unit"), pk=pk)


@require_safe
@staff_member_required
def set_report(request, pk):
    question_set = _get_set(request, pk)
    form = _read(
        SetReportForm(
            request.GET,
            tables=list(SET_TABLES),
            classrooms=data.set_classrooms(request.user, question_set),
        )
    )
    report = data.set_report(
        question_set,
        request.user,
        classroom=form.cleaned_data["classroom"],
        counted=form.counted,
    )
    if form.wants_csv:
        header, rows = SET_TABLES[form.table_name](report)
        return csv_response(f"set-{question_set.pk}-{form.table_name}.csv", header, rows)
    distribution = report.distribution()
    context = {
        "set": question_set,
        "report": report,
        "form": form,
        "chart": charts.score_distribution(distribution),
        "distribution": distribution,
        "symbols": [(o, data.SYMBOLS[o], data.OUTCOME_LABELS[o]) for o in data.SYMBOLS],
    }
    return render(request, "reports/set.html", context)


@require_safe
@staff_member_required
def item_report(request, pk):
    question_set = _get_set(request, pk)
    form = _read(
        SetReportForm(
            request.GET,
            tables=list(ITEM_TABLES),
            classrooms=data.set_classrooms(request.user, question_set),
        )
    )
    report = data.set_report(
        question_set,
        request.user,
        classroom=form.cleaned_data["classroom"],
        counted=form.counted,
    )
    items = item_analysis(report)
    if form.wants_csv:
        header, rows = ITEM_TABLES[form.table_name](report, items)
        return csv_response(f"set-{question_set.pk}-{form.table_name}.csv", header, rows)
    context = {
        "set": question_set,
        "report": report,
        "items": items,
        "form": form,
        "chart": charts.facility(items),
        "min_students": MIN_STUDENTS_FOR_DISCRIMINATION,
    }
    return render(request, "reports/items.html", context)


@require_safe
@staff_member_required
def classroom_report(request, pk):
    classroom = get_object_or_404(Classroom.objects.for_teacher(request.user), pk=pk)
    form = _read(ReportForm(request.GET, tables=list(CLASS_TABLES)))
    report = data.classroom_report(classroom, counted=form.counted)
    if form.wants_csv:
        header, rows = CLASS_TABLES[form.table_name](report)
        return csv_response(f"class-{classroom.pk}-{form.table_name}.csv", header, rows)
    averages = report.set_averages()
    context = {
        "classroom": classroom,
        "report": report,
        "averages": averages,
        "form": form,
        "chart": charts.set_averages(averages),
    }
    return render(request, "reports/classroom.html", context)


@require_safe
@staff_member_required
def student_report(request, pk):
    student = get_object_or_404(
        data.students_for(request.user).select_related("student_profile__classroom"), pk=pk
    )
    form = _read(ReportForm(request.GET, tables=list(STUDENT_TABLES)))
    report = data.student_report(student, request.user)
    if form.wants_csv:
        header, rows = STUDENT_TABLES[form.table_name](report)
        return csv_response(f"student-{student.pk}-{form.table_name}.csv", header, rows)
    context = {
        "student": student,
        "report": report,
        "chart": charts.attempt_percents(report.finished_attempts),
    }
    return render(request, "reports/student.html", context)
