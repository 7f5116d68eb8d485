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


def _report_page(request, *, tables, compute, template, context, csv_name="", classrooms=None):
    """What every report page does: read its query string (a 404 when it makes no
    sense), compute the report, then answer with one of its tables as CSV or the page.

    tables: name → function(report) → (header, rows), the first one the default;
    compute(form) → the report; context(report) → what the template needs besides the
    form and the report; csv_name: the start of the CSV file's name; classrooms: the
    class filter's choices, on a page about one set.
    """
    if classrooms is None:
        form = ReportForm(request.GET, tables=list(tables))
    else:
        form = SetReportForm(request.GET, tables=list(tables), classrooms=classrooms)
    if not form.is_valid():
        raise Http404("No such report.")
    report = compute(form)
    if form.wants_csv:
        header, rows = tables[form.table_name](report)
        return csv_response(f"{csv_name}{form.table_name}.csv", header, rows)
    return render(request, template, {"form": form, "report": report, **context(report)})


def _index_context(index):
    return {"sets": index.sets, "classes": index.classes}


@require_safe
@staff_member_required
def index(request):
    return _report_page(
        request,
        tables=INDEX_TABLES,
        compute=lambda form: data.index(request.user),
        template="reports/index.html",
        context=_index_context,
    )


def _set_page(request, pk, tables, template, context):
    """The set report and its question analysis: one set, filtered by class."""
    # A set the user neither owns nor has assigned to a class is a 404.
    question_set = get_object_or_404(data.sets_for(request.user).select_related("unit"), pk=pk)
    return _report_page(
        request,
        tables=tables,
        classrooms=data.set_classrooms(request.user, question_set),
        compute=lambda form: data.set_report(
            question_set,
            request.user,
            classroom=form.cleaned_data["classroom"],
            counted=form.counted,
        ),
        template=template,
        context=context,
        csv_name=f"set-{question_set.pk}-",
    )


def _set_context(report):
    distribution = report.distribution()
    return {
        "set": report.question_set,
        "chart": charts.score_distribution(distribution),
        "distribution": distribution,
        "symbols": [(o, data.SYMBOLS[o], data.OUTCOME_LABELS[o]) for o in data.SYMBOLS],
    }


@require_safe
@staff_member_required
def set_report(request, pk):
    return _set_page(request, pk, SET_TABLES, "reports/set.html", _set_context)


def _items_context(report):
    items = item_analysis(report)
    return {
        "set": report.question_set,
        "items": items,
        "chart": charts.facility(items),
        "min_students": MIN_STUDENTS_FOR_DISCRIMINATION,
    }


@require_safe
@staff_member_required
def item_report(request, pk):
    return _set_page(request, pk, ITEM_TABLES, "reports/items.html", _items_context)


def _classroom_context(report):
    averages = report.set_averages()
    return {
        "classroom": report.classroom,
        "averages": averages,
        "chart": charts.set_averages(averages),
    }


@require_safe
@staff_member_required
def classroom_report(request, pk):
    classroom = get_object_or_404(Classroom.objects.for_teacher(request.user), pk=pk)
    return _report_page(
        request,
        tables=CLASS_TABLES,
        compute=lambda form: data.classroom_report(classroom, counted=form.counted),
        template="reports/classroom.html",
        context=_classroom_context,
        csv_name=f"class-{classroom.pk}-",
    )


def _student_context(report):
    return {
        "student": report.student,
        "chart": charts.attempt_percents(report.finished_attempts),
    }


@require_safe
@staff_member_required
def student_report(request, pk):
    student = get_object_or_404(
        data.students_for(request.user).select_related("student_profile__classroom"), pk=pk
    )
    return _report_page(
        request,
        tables=STUDENT_TABLES,
        # Every attempt is listed here: the attempt that counts changes nothing.
        compute=lambda form: data.student_report(student, request.user),
        template="reports/student.html",
        context=_student_context,
        csv_name=f"student-{student.pk}-",
    )
