from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value) -> str:
    """A time taken in words a pupil reads: "4 seconds", "2 min 5 s", "1 h 3 min"."""
    if value is None:
        return ""
    seconds = max(0, round(value.total_seconds()))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return _("%(minutes)d min %(seconds)d s") % {"minutes": minutes, "seconds": seconds}
    hours, minutes = divmod(minutes, 60)
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}


@register.filter
def kind_label(kind: str) -> str:
    """A kind as a teacher reads it: "multiple choice", not "multiple_choice"."""
    from quiz.core.models import Kind

    try:
        return Kind(kind).label
    except ValueError:
        return kind


@register.filter
def response_text(answer) -> str:
    """What the student answered, in words."""
    response = answer.response or {}
    options = {o.pk: o.text for o in answer.question.options.all()}
    if "year" in response:
        return str(response["year"])
    if "order" in response:
        return " → ".join(options.get(pk, "?") for pk in response["order"])
    if "option" in response:
        return options.get(response["option"], "?")
    return _("no answer")
