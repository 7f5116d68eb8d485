"""The bar chart on each report page: the geometry of a horizontal bar chart, drawn as
inline SVG by templates/reports/_bar_chart.html."""

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quiz.reports.data import percent_of


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


def bar_chart(id, title, description, bars, max_value, label_chars=32) -> BarChart:
    """bars: (label, value, text shown at the bar's end, flagged?) per bar."""
    chart = BarChart(id, title, description, [])
    for index, (label, value, text, flagged) in enumerate(bars):
        # A flagged bar says so in words too, never by colour alone.
        label = ("⚠ " if flagged else "") + label
        if len(label) > label_chars:
            label = label[: label_chars - 1] + "…"
        width = round(chart.bar_space * (value or 0) / max_value) if max_value else 0
        chart.bars.append(Bar(label, text, 4 + index * chart.row_height, width, flagged))
    return chart


def score_distribution(distribution) -> BarChart:
    """The set report's: how many students in each band of percentage score."""
    return bar_chart(
        "score-distribution",
        _("Score distribution"),
        _("Number of students in each band of percentage score."),
        [(label, count, str(count), False) for label, count in distribution],
        max(count for _label, count in distribution) or 1,
    )


def facility(items) -> BarChart:
    """The question analysis's: the share fully right, broken-looking questions flagged."""
    return bar_chart(
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


def set_averages(averages) -> BarChart:
    """The class report's: the average percentage of each set's finishers."""
    return bar_chart(
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


def attempt_percents(finished_attempts) -> BarChart:
    """The student report's: each finished attempt's percentage, oldest first."""
    in_order = sorted(finished_attempts, key=lambda a: (a.started_at, a.pk))
    return bar_chart(
        "attempt-percents",
        _("Percentage score per attempt"),
        _("Percentage score of each finished attempt, oldest first."),
        [
            (
                f"{date_format(timezone.localtime(a.started_at), 'j M')} {a.question_set.title}",
                percent_of(a),
                f"{percent_of(a)}%",
                False,
            )
            for a in in_order
        ],
        max([100, *(percent_of(a) for a in in_order)]),
    )
