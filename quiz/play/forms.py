from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from quiz.core.models import Kind


class AnswerForm(forms.Form):
    """One answer to one question; its fields depend on the question's kind."""

    position = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Sent by the page's script: the milliseconds its countdown showed as the answer left.
    left_ms = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, question, options=None, **kwargs):
        """`options` in the order the student sees them (Answer.shown_options())."""
        super().__init__(*args, **kwargs)
        self.question = question
        self.options = list(question.options.all()) if options is None else options
        if question.kind == Kind.CHRONOLOGY:
            count = len(self.options)
            choices = [("", "—")] + [(str(i), str(i)) for i in range(1, count + 1)]
            for option in self.options:
                self.fields[f"place_{option.pk}"] = forms.TypedChoiceField(
                    label=option.text,
                    choices=choices,
                    coerce=int,
                    error_messages={"required": _("Give every event a place.")},
                )
        elif question.kind == Kind.YEAR and not self.options:
            self.fields["year"] = forms.IntegerField(
                label=_("Year"),
                min_value=-5000,
                max_value=2100,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={
                    "required": _("Type a year."),
                    "invalid": _("Type a year as digits."),
                },
            )
        else:
            self.fields["option"] = forms.TypedChoiceField(
                label=_("Your answer"),
                choices=[(str(o.pk), o.text) for o in self.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("That answer is not one of the options."),
                },
            )

    def place_fields(self):
        return [self[f"place_{o.pk}"] for o in self.options if f"place_{o.pk}" in self.fields]

    def clean(self):
        cleaned = super().clean()
        if self.question.kind == Kind.CHRONOLOGY and not self.errors:
            places = {o.pk: cleaned[f"place_{o.pk}"] for o in self.options}
            if sorted(places.values()) != list(range(1, len(self.options) + 1)):
                raise ValidationError(
                    _("Use each place from 1 to %(count)d once.") % {"count": len(self.options)},
                    code="not_a_permutation",
                )
            cleaned["order"] = sorted(places, key=places.get)
        return cleaned

    def clean_left_ms(self) -> int | None:
        """A claim, never the student's doing: one that is not a count of milliseconds
        is ignored (the server's clock decides), never an error that loses the answer."""
        text = self.cleaned_data["left_ms"].strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None

    def claimed_seconds_left(self) -> float | None:
        left_ms = self.cleaned_data.get("left_ms")
        return None if left_ms is None else left_ms / 1000

    def response(self) -> dict:
        if "order" in self.cleaned_data:
            return {"order": self.cleaned_data["order"]}
        if "year" in self.cleaned_data:
            return {"year": self.cleaned_data["year"]}
        return {"option": self.cleaned_data["option"]}


class PositionForm(forms.Form):
    position = forms.IntegerField(min_value=0)
