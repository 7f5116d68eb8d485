"""The admin page where a teacher adds generated questions to a set.

It is stateless: the same settings and seed always give the same pool of
candidates, so "replace this one" only needs to remember which pool entries the
teacher turned down.
"""

import random

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from history.models import Event, Person
from quiz.core.models import Kind, SetQuestion
from quiz.generator import facts_from_unit, generate_set, spread
from quiz.questions.saving import as_generated, save_generated

POOL_FACTOR = 3
MAX_COUNT = 50
# Every position a pool can have, as the checkboxes send them: plain ASCII digits.
# ("²".isdigit() is true but int("²") fails, so the strings are matched, not parsed.)
POOL_INDEXES = {str(i): i for i in range(MAX_COUNT * POOL_FACTOR)}
BAD_INDEXES = _("Bad list of replaced questions.")


class GenerateForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        choices=Kind.choices,
        initial=[k for k, _label in Kind.choices],
        widget=forms.CheckboxSelectMultiple,
    )
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=MAX_COUNT, initial=10)
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        help_text=_("The same seed and settings give the same questions."),
    )
    events = forms.ModelMultipleChoiceField(
        label=_("Only about these events"), queryset=Event.objects.none(), required=False
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Only about these people"), queryset=Person.objects.none(), required=False
    )
    start_year = forms.IntegerField(label=_("From year"), required=False)
    end_year = forms.IntegerField(label=_("To year"), required=False)
    excluded = forms.CharField(required=False, widget=forms.HiddenInput)
    # The preview's "Replace" checkboxes; the template draws them beside each question.
    replace = forms.TypedMultipleChoiceField(
        required=False,
        choices=[(text, text) for text in POOL_INDEXES],
        coerce=int,
        widget=forms.MultipleHiddenInput,
        error_messages={"invalid_choice": BAD_INDEXES},
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = Event.objects.filter(unit=unit)
        self.fields["people"].queryset = Person.objects.filter(unit=unit)

    def clean_excluded(self):
        items = [i.strip() for i in self.cleaned_data["excluded"].split(",") if i.strip()]
        if any(i not in POOL_INDEXES for i in items):
            raise forms.ValidationError(BAD_INDEXES, code="invalid")
        return {POOL_INDEXES[i] for i in items}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The end year must not come before the start year."))
        return cleaned


def _pool(question_set, data):
    """The candidates, made as `manage.py generate_questions` makes them, none repeating or
    giving away a question of the set."""
    in_set = question_set.questions.select_related("event", "person").prefetch_related("options")
    return generate_set(
        facts_from_unit(question_set.unit),
        # The pool must not depend on what was turned down, or every question would change.
        count=data["count"] * POOL_FACTOR,
        seed=data["seed"],
        kinds=data["kinds"],
        event_slugs=[e.slug for e in data["events"]] or None,
        person_slugs=[p.slug for p in data["people"]] or None,
        start_year=data["start_year"],
        end_year=data["end_year"],
        already=[as_generated(q) for q in in_set],
    )


def _shown(pool, data):
    """(pool index, question) pairs on screen: `count` of those not turned down, the kinds
    shared out as the generator shares them."""
    kept = [(i, q) for i, q in enumerate(pool) if i not in data["excluded"]]
    chosen = {id(q) for q in spread((q for _i, q in kept), data["count"])}
    return [(i, q) for i, q in kept if id(q) in chosen]


def _repeats_note(repeats: int) -> str:
    return ngettext(
        "%(count)d question these settings make is already in the set: "
        "another was generated in its place.",
        "%(count)d questions these settings make are already in the set: "
        "others were generated in their place.",
        repeats,
    ) % {"count": repeats}


def generate_view(model_admin, request, question_set):
    unit = question_set.unit
    shown = []
    if request.method == "POST":
        form = GenerateForm(request.POST, unit=unit)
        if form.is_valid():
            data = form.cleaned_data
            if "replace_ticked" in request.POST:
                data["excluded"] = data["excluded"] | set(data["replace"])
                form.data = form.data.copy()
                form.data["excluded"] = ",".join(str(i) for i in sorted(data["excluded"]))
            batch = _pool(question_set, data)
            shown = _shown(batch.questions, data)
            if "save" in request.POST and shown:
                with transaction.atomic():
                    start = question_set.set_questions.aggregate(m=Max("position"))["m"] or 0
                    for offset, (_index, generated) in enumerate(shown, start=1):
                        question = save_generated(unit, generated, request.user)
                        SetQuestion.objects.get_or_create(
                            question_set=question_set,
                            question=question,
                            defaults={"position": start + offset},
                        )
                added = ngettext(
                    "Added %(count)d generated question. Edit it below or in Questions.",
                    "Added %(count)d generated questions. Edit any of them below or in Questions.",
                    len(shown),
                ) % {"count": len(shown)}
                if batch.repeats:
                    added = f"{added} {_repeats_note(batch.repeats)}"
                messages.success(request, added)
                return redirect(reverse("admin:quiz_questionset_change", args=[question_set.pk]))
            if batch.repeats:
                messages.info(request, _repeats_note(batch.repeats))
            if len(shown) < data["count"]:
                messages.warning(
                    request,
                    ngettext(
                        "Only %(found)d good question exists for these settings "
                        "(asked for %(count)d).",
                        "Only %(found)d good questions exist for these settings "
                        "(asked for %(count)d).",
                        len(shown),
                    )
                    % {"found": len(shown), "count": data["count"]},
                )
    else:
        form = GenerateForm(unit=unit, initial={"seed": random.SystemRandom().randrange(10**6)})
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Add generated questions to “%(title)s”") % {"title": question_set.title},
        "question_set": question_set,
        "form": form,
        "shown": shown,
    }
    return TemplateResponse(request, "admin/quiz/questionset/generate.html", context)
