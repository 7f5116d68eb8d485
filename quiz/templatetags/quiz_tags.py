from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """ "multiple_choice" as a teacher reads it: "multiple choice"."""
    from quiz.models import Kind

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
