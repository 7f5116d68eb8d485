"""Admin widgets that survive junk: a form sent back with `sources=abc` shows a field error.

Django's autocomplete widget redraws an invalid form by looking up the submitted ids as
they are, so a value that is not an id at all raised a ValueError (a 500) instead.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _OnlyRealIds:
    def optgroups(self, name, value, attr=None):
        # The same target field Django's widget filters on.
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        return super().optgroups(name, [v for v in value if _is_valid(target, v)], attr)


def _is_valid(field, value) -> bool:
    try:
        value = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    # No database column holds an id past 64 bits; SQLite raises OverflowError on one.
    return not isinstance(value, int) or abs(value) < 2**63


class SafeAutocompleteSelect(_OnlyRealIds, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_OnlyRealIds, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or an inline with autocomplete_fields."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        inner = getattr(widget, "widget", widget)  # RelatedFieldWidgetWrapper wraps it
        if type(inner) is AutocompleteSelect:
            inner.__class__ = SafeAutocompleteSelect
        elif type(inner) is AutocompleteSelectMultiple:
            inner.__class__ = SafeAutocompleteSelectMultiple
        return formfield
