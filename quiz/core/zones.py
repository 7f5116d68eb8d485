"""Say which zone a time is typed in, on every form that takes one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext


def zone_note() -> str:
    return gettext("In the school's time zone, %(zone)s.") % {"zone": settings.TIME_ZONE}


def note_zone_on(fields) -> None:
    """Add the zone to the help text of every date-and-time field in ``fields``."""
    from django import forms

    for field in fields.values():
        if isinstance(field, (forms.DateTimeField, forms.SplitDateTimeField)):
            field.help_text = " ".join(t for t in (str(field.help_text or ""), zone_note()) if t)


class ZoneNoteAdminMixin:
    """For admins and inlines whose models have DateTimeFields a teacher types."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and field is not None:
            note_zone_on({"field": field})
        return field
