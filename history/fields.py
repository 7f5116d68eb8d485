from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from history.dates import PartialDate


def _as_text(value):
    return value.isoformat() if isinstance(value, PartialDate) else value


class PartialDateFormField(forms.CharField):
    default_error_messages = {
        "invalid": _("Enter a date like 1940, 1940-08, 1940-08-21 or c. 1906.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault(
            "help_text",
            _("Year, year-month or year-month-day; c. 1906 if approximate; -44 for 44 BC."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value

    def run_validators(self, value):
        # CharField's length check must see the text, not the parsed PartialDate.
        super().run_validators(_as_text(value))

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class PartialDateField(models.CharField):
    """A PartialDate stored as its ISO text ("1940-08-21", "1906~")."""

    description = _("Partial date")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 16:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return None if value in (None, "") else PartialDate.parse(value)

    def to_python(self, value):
        if value in (None, "") or isinstance(value, PartialDate):
            return value or None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def run_validators(self, value):
        super().run_validators(_as_text(value))

    def get_prep_value(self, value):
        value = self.to_python(value)
        return value.isoformat() if value else None

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})
