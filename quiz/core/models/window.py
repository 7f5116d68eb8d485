"""When something may be sat: a set's opening times, and an assignment's."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def open_at(now, prefix: str = "") -> models.Q:
    """Rows whose window (at `prefix`, e.g. "assignments__") holds `now`; an empty end is open."""
    opens, closes = f"{prefix}opens_at", f"{prefix}closes_at"
    return (models.Q(**{f"{opens}__isnull": True}) | models.Q(**{f"{opens}__lte": now})) & (
        models.Q(**{f"{closes}__isnull": True}) | models.Q(**{f"{closes}__gt": now})
    )


class Window(models.Model):
    """Opens and closes, each optional; closes must come after opens."""

    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

    # Said when closes_at is not after opens_at.
    closes_too_early = _("It must close after it opens.")

    class Meta:
        abstract = True

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": self.closes_too_early})

    def window_holds(self, now) -> bool:
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )
