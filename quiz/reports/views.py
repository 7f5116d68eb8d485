"""Teacher reports: per set, per question, per class and per student.

Every table on a page downloads as CSV with the same query string plus
`format=csv&table=<name>`. Ids the user may not see are a 404, as is a query
string that does not make sense (an unknown class, table or attempt choice).
"""

import csv
from dataclasses import dataclass

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from quiz.core.models import Assignment, Attempt, Classroom
from quiz.reports import data

# Filters ---------------------------------------------------------------------


class ReportForm(forms.Form):
    """The query string of a report page."""

    attempt = forms.ChoiceField(
        label=gettext_lazy("Attempt that counts"),
        choices=data.COUNTED_CHOICES,
        required=False,
    )
    format = forms.ChoiceField(choices=[("html", "HTML"), ("csv", "CSV")], required=False)
    table = forms.ChoiceField(choices=[], required=False)

    # Every report counts each student's first try unless the teacher picks another, so
    # the grid, the item analysis and the class report agree: later tries have seen the
    # feedback, which would make every question look easier.
    def __init__(self, data, *, tables, default_attempt=data.FIRST, **kwargs):
        super().__init__(data, **kwargs)
        self.tables = tables
        self.fields["table"].choices = [(name, name) for name in tables]
        self.default_attempt = default_attempt
        # Shown selected when the query string leaves it out.
        if not data.get("attempt"):
            self.data = data.copy()
            self.data["attempt"] = default_attempt

    @property
    def counted(self) -> str:
        return self.cleaned_data["attempt"] or self.default_attempt

    @property
    def counted_label(self) -> str:
        return dict(data.COUNTED_CHOICES)[self.counted]

    @property
    def wants_csv(self) -> bool:
        return self.cleaned_data["format"] == "csv"

    @property
    def table_name(self) -> str:
        return self.cleaned_data["table"] or self.tables[0]


class SetReportForm(ReportForm):
    classroom = forms.ModelChoiceField(
        label=gettext_lazy("Class"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All classes"),
    )

    def __init__(self, data, *, classrooms, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.order_fields(["classroom", "attempt"])


def _read(form):
    if not form.is_valid():
        raise Http404("No such report.")
    return form


def _set_classrooms(user, question_set):
    """The user's classes this set concerns: assigned to it, or with someone who took it."""
    assigned = Assignment.objects.filter(question_set=question_set).values("classroom")
    took = Attempt.objects.filter(question_set=question_set).values("student")
    return (
        Classroom.objects.for_teacher(user)
        .filter(Q(pk__in=assigned) | Q(students__user__in=took))
        .distinct()
    )


# CSV -------------------------------------------------------------------------

# A cell starting with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Excel only reads a CSV file as UTF-8 when it starts with a byte-order mark.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return response


def _when(moment) -> str | None:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else None


def _round(value, digits):
    return None if value is None else round(value, digits)


# Charts: the geometry of a horizontal bar chart, drawn as inline SVG ---------


@dataclass
class Bar:
    label: str
    text: str
    y: int
    width: int
    flagged: bool = False


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = 640
    label_end: int = 250  # labels are right-aligned to here
    bar_start: int = 260
    bar_space: int = 320  # the longest bar
    row_height: int = 28
    bar_height: int = 20

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height + 8

    def rows(self):
        for bar in self.bars:
            yield {
                "bar": bar,
                "text_y": bar.y + self.bar_height - 5,
                "value_x": self.bar_start + bar.width + 6,
            }


def bar_chart(id, title, description, data, max_value, label_chars=32) -> BarChart:
    """data: (label, value, text shown at the bar's end, flagged?) per bar."""
    chart = BarChart(id, title, description, [])
    for index, (label, value, text, flagged) in enumerate(data):
        # A flagged bar says so in words too, never by colour alone.
        label = ("⚠ " if flagged else "") + label
        if len(label) > label_chars:
            label = label[: label_chars - 1] + "…"
        width = round(chart.bar_space * (value or 0) / max_value) if max_value else 0
        chart.bars.append(Bar(label, text, 4 + index * chart.row_height, width, flagged))
    return chart


# The index ---------------------------------------------------------------------


@require_safe
@staff_member_required
def index(request):
    sets, classes = data.index(request.user)
    form = _read(ReportForm(request.GET, tables=["sets", "classes"]))
    if form.wants_csv:
        if form.table_name == "sets":
            return csv_response(
                "sets.csv",
                [
                    _("Set"),
                    _("Unit"),
                    _("Teacher"),
                    _("Questions"),
                    _("Classes"),
                    _("Students finished"),
                ],
                (
                    [
                        s.title,
                        str(s.unit),
                        s.owner.get_username() if s.owner else "",
                        s.question_total,
                        "; ".join(a.classroom.name for a in s.visible_assignments),
                        s.finished_students,
                    ]
                    for s in sets
                ),
            )
        return csv_response(
            "classes.csv",
            [_("Class"), _("Teacher"), _("Students")],
            ([c.name, c.teacher.get_username(), c.student_total] for c in classes),
        )
    return render(request, "reports/index.html", {"sets": sets, "classes": classes})


# Per set -----------------------------------------------------------------------


def _get_set(request, pk):
    """A set the user neither owns nor has assigned to a class is a 404."""
    return get_object_or_404(data.sets_for(request.user).select_related("unit"), pk=pk)


def _grid_table(report):
    header = [
        _("Student"),
        _("Username"),
        _("Class"),
        _("Finished attempts"),
        _("Score"),
        _("Out of"),
        _("Percent"),
        _("Finished at"),
    ]
    for number in range(1, len(report.questions) + 1):
        header += [
            _("Q%(n)d result") % {"n": number},
            _("Q%(n)d points") % {"n": number},
            _("Q%(n)d seconds") % {"n": number},
        ]
    rows = []
    for row in report.finished_rows:
        line = [
            row.name,
            row.student.get_username(),
            str(row.classroom or ""),
            row.finished_count,
            row.attempt.score,
            row.attempt.max_score,
            row.percent,
            _when(row.attempt.finished_at),
        ]
        for cell in row.cells:
            line += [str(cell.label), cell.points, _round(cell.seconds, 1)]
        rows.append(line)
    return header, rows


def _unfinished_table(report):
    header = [_("Student"), _("Username"), _("Class"), _("Status")]
    rows = [
        [row.name, row.student.get_username(), str(row.classroom or ""), str(row.status_label)]
        for row in report.unfinished_rows
    ]
    return header, rows


def _distribution_table(report):
    return [_("Score"), _("Students")], [list(pair) for pair in report.distribution()]


def _classes_table(report):
    header = [
        _("Class"),
        _("Students"),
        _("Finished"),
        _("Average score"),
        _("Average percent"),
    ]
    rows = [
        [
            str(a.classroom or _("no class")),
            a.students,
            a.finished,
            _round(a.average_score, 1),
            _round(a.average_percent, 1),
        ]
        for a in report.class_averages()
    ]
    return header, rows


SET_TABLES = {
    "grid": _grid_table,
    "unfinished": _unfinished_table,
    "distribution": _distribution_table,
    "classes": _classes_table,
}


@require_safe
@staff_member_required
def set_report(request, pk):
    question_set = _get_set(request, pk)
    form = _read(
        SetReportForm(
            request.GET,
            tables=list(SET_TABLES),
            classrooms=_set_classrooms(request.user, question_set),
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
    chart = bar_chart(
        "score-distribution",
        _("Score distribution"),
        _("Number of students in each band of percentage score."),
        [(label, count, str(count), False) for label, count in distribution],
        max(count for _label, count in distribution) or 1,
    )
    context = {
        "set": question_set,
        "report": report,
        "form": form,
        "chart": chart,
        "distribution": distribution,
        "symbols": [(o, data.SYMBOLS[o], data.OUTCOME_LABELS[o]) for o in data.SYMBOLS],
    }
    return render(request, "reports/set.html", context)


def _items_table(report, items):
    header = [
        _("Question"),
        _("Prompt"),
        _("Kind"),
        _("Event"),
        _("Answers"),
        _("Right"),
        _("Partly right"),
        _("Timed out"),
        _("Facility"),
        _("Discrimination"),
        _("Average seconds"),
        _("Flags"),
    ]
    rows = [
        [
            item.number,
            item.question.prompt,
            item.question.get_kind_display(),
            str(item.question.event or ""),
            item.answers,
            item.right,
            item.partly,
            item.timed_out,
            _round(item.facility, 2),
            _round(item.discrimination, 2),
            _round(item.average_seconds, 1),
            "; ".join(str(label) for label in item.flag_labels),
        ]
        for item in items
    ]
    return header, rows


def _answers_table(report, items):
    """One row per option (or typed year) of every question: how often it was picked."""
    header = [_("Question"), _("Prompt"), _("Answer"), _("Correct"), _("Picked")]
    rows = []
    for item in items:
        for option in item.options:
            rows.append(
                [
                    item.number,
                    item.question.prompt,
                    option.text,
                    _("yes") if option.is_correct else _("no"),
                    option.picks,
                ]
            )
        if item.options and item.unanswered:
            rows.append(
                [item.number, item.question.prompt, _("(no answer)"), _("no"), item.unanswered]
            )
        if item.typed_year and item.answers:
            rows.append(
                [item.number, item.question.prompt, item.question.answer_year, _("yes"), item.right]
            )
        for year, count in item.wrong_years:
            rows.append([item.number, item.question.prompt, year, _("no"), count])
        for order in item.orders:
            rows.append(
                [
                    item.number,
                    item.question.prompt,
                    order.text,
                    _("yes") if order.is_correct else _("no"),
                    order.count,
                ]
            )
        if item.orders and item.unanswered:
            rows.append(
                [item.number, item.question.prompt, _("(no answer)"), _("no"), item.unanswered]
            )
    return header, rows


ITEM_TABLES = {"items": _items_table, "answers": _answers_table}


@require_safe
@staff_member_required
def item_report(request, pk):
    question_set = _get_set(request, pk)
    form = _read(
        SetReportForm(
            request.GET,
            tables=list(ITEM_TABLES),
            classrooms=_set_classrooms(request.user, question_set),
        )
    )
    report = data.set_report(
        question_set,
        request.user,
        classroom=form.cleaned_data["classroom"],
        counted=form.counted,
    )
    items = data.item_analysis(report)
    if form.wants_csv:
        header, rows = ITEM_TABLES[form.table_name](report, items)
        return csv_response(f"set-{question_set.pk}-{form.table_name}.csv", header, rows)
    chart = bar_chart(
        "facility",
        _("Facility by question"),
        _("Percentage of students who got each question fully right."),
        [
            (
                _("Q%(n)d") % {"n": item.number} + " " + item.question.prompt,
                item.facility or 0,
                f"{item.facility_percent}%" if item.facility is not None else "—",
                bool(item.flags),
            )
            for item in items
        ],
        1,
    )
    context = {
        "set": question_set,
        "report": report,
        "items": items,
        "form": form,
        "chart": chart,
        "min_students": data.MIN_STUDENTS_FOR_DISCRIMINATION,
    }
    return render(request, "reports/items.html", context)


# Per class ---------------------------------------------------------------------


def _results_table(report):
    header = [_("Student"), _("Username")]
    for question_set in report.sets:
        header += [
            _("%(set)s: percent") % {"set": question_set.title},
            _("%(set)s: status") % {"set": question_set.title},
        ]
    rows = []
    for row in report.rows:
        line = [row.name, row.student.get_username()]
        for result in row.results:
            line += [result.percent, str(result.status_label)]
        rows.append(line)
    return header, rows


def _set_averages_table(report):
    header = [_("Set"), _("Students finished"), _("Students"), _("Average percent")]
    rows = [
        [question_set.title, finished, len(report.rows), _round(average, 1)]
        for question_set, finished, average in report.set_averages()
    ]
    return header, rows


CLASS_TABLES = {"results": _results_table, "averages": _set_averages_table}


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
    chart = bar_chart(
        "set-averages",
        _("Average score by set"),
        _("Average percentage score of the students who finished each set."),
        [
            (
                s.title,
                average or 0,
                f"{floatformat(average, 0)}%" if average is not None else "—",
                False,
            )
            for s, _finished, average in averages
        ],
        100,
    )
    context = {
        "classroom": classroom,
        "report": report,
        "averages": averages,
        "form": form,
        "chart": chart,
    }
    return render(request, "reports/classroom.html", context)


# Per student -------------------------------------------------------------------


def _attempts_table(report):
    header = [
        _("Started"),
        _("Finished"),
        _("Set"),
        _("Unit"),
        _("Score"),
        _("Out of"),
        _("Percent"),
        _("Correct"),
        _("Questions"),
    ]
    rows = [
        [
            _when(a.started_at),
            _when(a.finished_at),
            a.question_set.title,
            str(a.question_set.unit),
            a.score if a.is_finished else None,
            a.max_score,
            data.percent_of(a),
            a.correct_count if a.is_finished else None,
            a.question_total,
        ]
        for a in report.attempts
    ]
    return header, rows


def _events_table(report):
    header = [_("Event"), _("Date"), _("Unit"), _("Asked"), _("Missed"), _("Share missed")]
    rows = [
        [
            m.subject.title,
            m.subject.when,
            str(m.subject.unit),
            m.asked,
            m.missed,
            _round(m.share, 2),
        ]
        for m in report.missed_events
    ]
    return header, rows


def _units_table(report):
    header = [_("Unit"), _("Asked"), _("Missed"), _("Share missed")]
    rows = [[m.subject.title, m.asked, m.missed, _round(m.share, 2)] for m in report.missed_units]
    return header, rows


STUDENT_TABLES = {"attempts": _attempts_table, "events": _events_table, "units": _units_table}


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
    in_order = sorted(report.finished_attempts, key=lambda a: (a.started_at, a.pk))
    chart = bar_chart(
        "attempt-percents",
        _("Percentage score per attempt"),
        _("Percentage score of each finished attempt, oldest first."),
        [
            (
                f"{date_format(timezone.localtime(a.started_at), 'j M')} {a.question_set.title}",
                data.percent_of(a),
                f"{data.percent_of(a)}%",
                False,
            )
            for a in in_order
        ],
        max([100, *(data.percent_of(a) for a in in_order)]),
    )
    context = {"student": student, "report": report, "chart": chart}
    return render(request, "reports/student.html", context)
