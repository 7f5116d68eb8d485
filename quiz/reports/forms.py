"""The query string of a report page: which attempt counts, which class, CSV or HTML."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quiz.reports.data import COUNTED_CHOICES, FIRST


class ReportForm(forms.Form):
    attempt = forms.ChoiceField(
        label=_("Attempt that counts"),
        choices=COUNTED_CHOICES,
        required=False,
    )
    format = forms.ChoiceField(choices=[("html", "HTML"), ("csv", "CSV")], required=False)
    table = forms.ChoiceField(choices=[], required=False)

    # Every report counts each student's first try unless the teacher picks another, so
    # the grid, the item analysis and the class report agree: later tries have seen the
    # feedback, which would make every question look easier.
    def __init__(self, data, *, tables, default_attempt=FIRST, **kwargs):
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
        return dict(COUNTED_CHOICES)[self.counted]

    @property
    def wants_csv(self) -> bool:
        return self.cleaned_data["format"] == "csv"

    @property
    def table_name(self) -> str:
        return self.cleaned_data["table"] or self.tables[0]


class SetReportForm(ReportForm):
    classroom = forms.ModelChoiceField(
        label=_("Class"),
        queryset=None,
        required=False,
        empty_label=_("All classes"),
    )

    def __init__(self, data, *, classrooms, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.order_fields(["classroom", "attempt"])
