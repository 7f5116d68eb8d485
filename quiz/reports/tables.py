"""Every table a report page downloads as CSV: a header and its rows, one function a
table, and each page's tables by the name its query string gives (`table=<name>`, the
first the default). The HTML tables are the templates'; these are for spreadsheets, so
times are plain "YYYY-MM-DD HH:MM" and numbers are rounded, not formatted."""

from django.utils import timezone
from django.utils.translation import gettext as _

from quiz.reports.data import percent_of
from quiz.reports.items import item_analysis


def _when(moment) -> str | None:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else None


def _round(value, digits):
    return None if value is None else round(value, digits)


# The index ---------------------------------------------------------------------


def _sets_table(index):
    header = [
        _("Set"),
        _("Unit"),
        _("Teacher"),
        _("Questions"),
        _("Classes"),
        _("Students finished"),
    ]
    rows = [
        [
            s.title,
            str(s.unit),
            s.owner.get_username() if s.owner else "",
            s.question_total,
            "; ".join(a.classroom.name for a in s.visible_assignments),
            s.finished_students,
        ]
        for s in index.sets
    ]
    return header, rows


def _teachers_classes_table(index):
    header = [_("Class"), _("Teacher"), _("Students")]
    rows = [[c.name, c.teacher.get_username(), c.student_total] for c in index.classes]
    return header, rows


# Per set -----------------------------------------------------------------------


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


def _items_table(report):
    items = item_analysis(report)
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


def _answers_table(report):
    """One row per option, typed year or chronology order of every question: how often
    it was given."""
    header = [_("Question"), _("Prompt"), _("Answer"), _("Correct"), _("Picked")]
    rows = []
    for item in item_analysis(report):
        given = [(option.text, option.is_correct, option.picks) for option in item.options]
        if item.options and item.unanswered:
            given.append((_("(no answer)"), False, item.unanswered))
        if item.typed_year and item.answers:
            given.append((item.question.answer_year, True, item.right))
        given += [(year, False, count) for year, count in item.wrong_years]
        given += [(order.text, order.is_correct, order.count) for order in item.orders]
        if item.orders and item.unanswered:
            given.append((_("(no answer)"), False, item.unanswered))
        rows += [
            [item.number, item.question.prompt, answer, _("yes") if correct else _("no"), count]
            for answer, correct, count in given
        ]
    return header, rows


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
        _("Played"),
    ]
    rows = [
        [
            _when(a.started_at),
            _when(a.finished_at),
            a.question_set.title,
            str(a.question_set.unit),
            a.score if a.is_finished else None,
            a.max_score,
            percent_of(a),
            a.correct_count if a.is_finished else None,
            a.question_total,
            _("live") if a.is_live else _("self-paced"),
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


# Each page's tables, by the name in its query string (the first is the default) --

INDEX_TABLES = {"sets": _sets_table, "classes": _teachers_classes_table}
SET_TABLES = {
    "grid": _grid_table,
    "unfinished": _unfinished_table,
    "distribution": _distribution_table,
    "classes": _classes_table,
}
ITEM_TABLES = {"items": _items_table, "answers": _answers_table}
CLASS_TABLES = {"results": _results_table, "averages": _set_averages_table}
STUDENT_TABLES = {"attempts": _attempts_table, "events": _events_table, "units": _units_table}
