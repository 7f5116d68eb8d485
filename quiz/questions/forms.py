"""The set editor's forms: one short form per kind of question, only that kind's fields.

Each turns what the teacher typed into a question and its options, under the same
rules the admin applies (quiz.questions.admin), with every error on its field.
"""

import random

from django import forms
from django.utils.translation import gettext_lazy as _

from history.models import Unit
from quiz.core.models import Kind, Option, Question, QuestionSet

MC_OPTIONS = 6
CHRONOLOGY_EVENTS = 5


class NewSetForm(forms.ModelForm):
    class Meta:
        model = QuestionSet
        fields = ["title", "unit", "seconds_per_question"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("title")
        self.fields["unit"].empty_label = None


class KindForm(forms.Form):
    """What every kind asks for; subclasses add their own fields and options."""

    kind: str
    prompt = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    explanation = forms.CharField(
        label=_("Explanation (shown after the answer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def initial_from(cls, question: Question) -> dict:
        return {"prompt": question.prompt, "explanation": question.explanation}

    def options(self) -> list[Option]:
        """The options to store, unsaved, positions as shown."""
        return []

    def fill(self, question: Question) -> None:
        question.kind = self.kind
        question.prompt = self.cleaned_data["prompt"].strip()
        question.explanation = self.cleaned_data["explanation"].strip()
        question.answer_year = None
        question.tolerance = 0


def _texts(form, names) -> list[tuple[str, str]]:
    """(field name, text) of the filled-in fields, in order."""
    return [(n, form.cleaned_data.get(n, "").strip()) for n in names if form.cleaned_data.get(n)]


def _no_repeats(form, filled) -> None:
    seen = set()
    for name, text in filled:
        if text.casefold() in seen:
            form.add_error(name, _("The same option appears twice."))
        seen.add(text.casefold())


class MultipleChoiceForm(KindForm):
    kind = Kind.MULTIPLE_CHOICE
    correct = forms.TypedChoiceField(
        label=_("The correct option"),
        choices=[(str(n), str(n)) for n in range(1, MC_OPTIONS + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which option is correct.")},
    )
    names = [f"option_{n}" for n in range(1, MC_OPTIONS + 1)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n, name in enumerate(self.names, start=1):
            self.fields[name] = forms.CharField(
                label=_("Option %(number)d") % {"number": n}, max_length=300, required=n <= 3
            )

    def option_rows(self):
        """Each option's field beside its 'correct' radio, for the template."""
        radios = list(self["correct"])
        return [(self[name], radios[n]) for n, name in enumerate(self.names)]

    @classmethod
    def initial_from(cls, question):
        initial = super().initial_from(question)
        for n, option in enumerate(question.options.all(), start=1):
            initial[f"option_{n}"] = option.text
            if option.is_correct:
                initial["correct"] = str(n)
        return initial

    def clean(self):
        cleaned = super().clean()
        filled = _texts(self, self.names)
        _no_repeats(self, filled)
        correct = cleaned.get("correct")
        if correct is not None and not cleaned.get(f"option_{correct}"):
            self.add_error("correct", _("The option ticked as correct is empty."))
        return cleaned

    def options(self):
        correct = f"option_{self.cleaned_data['correct']}"
        return [
            Option(text=text, position=position, is_correct=name == correct)
            for position, (name, text) in enumerate(_texts(self, self.names))
        ]


class YearForm(KindForm):
    kind = Kind.YEAR
    answer_year = forms.IntegerField(label=_("The correct year"), min_value=-3000, max_value=2100)
    tolerance = forms.IntegerField(
        label=_("Near misses earn part of the points, up to this many years out"),
        min_value=0,
        max_value=10,
        initial=0,
        required=False,
    )

    @classmethod
    def initial_from(cls, question):
        return {
            **super().initial_from(question),
            "answer_year": question.answer_year,
            "tolerance": question.tolerance,
        }

    def clean(self):
        cleaned = super().clean()
        answer, prompt = cleaned.get("answer_year"), cleaned.get("prompt") or ""
        if answer is not None and str(abs(answer)) in prompt:
            self.add_error("prompt", _("The prompt gives the answer away: it contains the year."))
        return cleaned

    def fill(self, question):
        super().fill(question)
        question.answer_year = self.cleaned_data["answer_year"]
        question.tolerance = self.cleaned_data.get("tolerance") or 0


class WhichFirstForm(KindForm):
    kind = Kind.WHICH_FIRST
    prompt = forms.CharField(label=_("Question"), initial=_("Which came first?"))
    first = forms.CharField(label=_("The event that came first"), max_length=300)
    second = forms.CharField(label=_("The event that came later"), max_length=300)

    @classmethod
    def initial_from(cls, question):
        initial = super().initial_from(question)
        options = list(question.options.all())
        initial["first"] = next((o.text for o in options if o.is_correct), "")
        initial["second"] = next((o.text for o in options if not o.is_correct), "")
        return initial

    def clean(self):
        cleaned = super().clean()
        _no_repeats(self, _texts(self, ["first", "second"]))
        return cleaned

    def options(self):
        texts = [self.cleaned_data["first"].strip(), self.cleaned_data["second"].strip()]
        order = random.sample(range(2), 2)  # which one is shown first gives nothing away
        return [
            Option(text=text, position=order[n], is_correct=n == 0) for n, text in enumerate(texts)
        ]


class ChronologyForm(KindForm):
    kind = Kind.CHRONOLOGY
    names = [f"event_{n}" for n in range(1, CHRONOLOGY_EVENTS + 1)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n, name in enumerate(self.names, start=1):
            self.fields[name] = forms.CharField(
                label=_("Event %(number)d") % {"number": n}, max_length=300, required=n <= 3
            )

    def event_fields(self):
        return [self[name] for name in self.names]

    @classmethod
    def initial_from(cls, question):
        initial = super().initial_from(question)
        for n, option in enumerate(question.correct_order(), start=1):
            initial[f"event_{n}"] = option.text
        return initial

    def clean(self):
        cleaned = super().clean()
        filled = _texts(self, self.names)
        _no_repeats(self, filled)
        names = [name for name, _text in filled]
        if names != self.names[: len(names)]:
            self.add_error(names[-1], _("Fill the events in from the first box, without gaps."))
        return cleaned

    def options(self):
        filled = [text for _name, text in _texts(self, self.names)]
        # Shown in an order that is not the answer, even with shuffling turned off.
        shown = filled[:]
        while shown == filled:
            random.shuffle(shown)
        return [
            Option(text=text, position=shown.index(text), correct_position=place)
            for place, text in enumerate(filled, start=1)
        ]


FORMS = {form.kind: form for form in (MultipleChoiceForm, YearForm, WhichFirstForm, ChronologyForm)}


def form_for(kind: str):
    return FORMS.get(kind)
