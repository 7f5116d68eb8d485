"""The set editor: a teacher builds a set on one page.

Every change is a small POST that returns the set's question list (htmx swaps it
in place); without JavaScript the same forms post and come back to the page. A
form with errors comes back with them on its fields (422), nothing lost.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quiz.core.models import Kind, QuestionSet, SetQuestion
from quiz.questions import editing
from quiz.questions.forms import FORMS, NewSetForm, form_for

EDITOR = "sets/editor.html"
GENERATED_MAX = 20


class GenerateForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds"),
        choices=Kind.choices,
        initial=[Kind.MULTIPLE_CHOICE, Kind.YEAR],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one kind.")},
    )
    count = forms.IntegerField(
        label=gettext_lazy("How many"), min_value=1, max_value=GENERATED_MAX, initial=4
    )


def _set_for(request, pk, *, editing_it=True) -> QuestionSet:
    question_set = get_object_or_404(QuestionSet.objects.select_related("unit", "owner"), pk=pk)
    if editing_it and not question_set.editable_by(request.user):
        raise PermissionDenied(_("This set is a colleague's: duplicate it to change it."))
    return question_set


def _item(question_set, item_pk) -> SetQuestion:
    return get_object_or_404(
        SetQuestion.objects.select_related("question"), question_set=question_set, pk=item_pk
    )


def _items(question_set):
    return list(
        question_set.set_questions.select_related("question").prefetch_related("question__options")
    )


def _editor_context(request, question_set, **extra) -> dict:
    return {
        "set": question_set,
        "items": _items(question_set),
        "can_edit": question_set.editable_by(request.user),
        "kinds": Kind.choices,
        "generate_form": extra.pop("generate_form", None) or GenerateForm(),
        **extra,
    }


def _done(request, question_set, *, focus=None, note="", fresh=None):
    """After a change: the list (htmx) or the page again (a plain form post). `fresh`:
    a blank form of the same kind to put in place of the one just sent."""
    if request.htmx:
        context = _editor_context(request, question_set, focus=focus, note=note)
        response = render(request, f"{EDITOR}#questions", context)
        if fresh is not None:
            blank = render_to_string(f"{EDITOR}#question-form", {**fresh, "oob": True}, request)
            response.content += blank.encode()
        return response
    if note:
        messages.success(request, note)
    return redirect("sets:edit", question_set.pk)


def _form_again(request, question_set, template_context):
    """A form with its errors: in place (htmx) or on the page (422 either way)."""
    if request.htmx:
        response = render(request, f"{EDITOR}#question-form", template_context, status=422)
        response["HX-Retarget"] = f"#{template_context['form_id']}"
        response["HX-Reswap"] = "outerHTML"
        return response
    context = _editor_context(request, question_set, **template_context)
    return render(request, EDITOR, context, status=422)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def set_list(request):
    if request.method == "POST":
        form = NewSetForm(request.POST)
        if form.is_valid():
            question_set = form.save(commit=False)
            question_set.owner = request.user
            question_set.save()
            return redirect("sets:edit", question_set.pk)
        status = 422
    else:
        form, status = NewSetForm(), 200
    sets = (
        QuestionSet.objects.select_related("unit", "owner")
        .annotate(total=Count("set_questions"))
        .order_by("archived", "-created_at")
    )
    archived = request.GET.get("archived") == "1"
    if not archived:
        sets = sets.filter(archived=False)
    mine = Q(owner=request.user) | Q(owner__isnull=True)
    context = {
        "form": form,
        "mine": sets.filter(mine),
        "colleagues": sets.exclude(mine),
        "archived": archived,
    }
    return render(request, "sets/list.html", context, status=status)


@require_safe
@staff_member_required
def edit(request, pk):
    question_set = _set_for(request, pk, editing_it=False)
    return render(request, EDITOR, _editor_context(request, question_set))


def _question_form_context(question_set, form, *, kind, item=None) -> dict:
    return {
        "set": question_set,
        "form": form,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "editing_item": item,
        "form_id": f"question-form-{item.pk}" if item else "question-form-new",
        "action": (
            reverse("sets:change", args=[question_set.pk, item.pk])
            if item
            else reverse("sets:add", args=[question_set.pk, kind])
        ),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def add(request, pk, kind):
    question_set = _set_for(request, pk)
    form_class = form_for(kind)
    if form_class is None:
        raise Http404
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            editing.add(question_set, form, request.user)
            fresh = _question_form_context(question_set, form_class(), kind=kind)
            return _done(request, question_set, note=_("Question added."), fresh=fresh)
        return _form_again(
            request, question_set, _question_form_context(question_set, form, kind=kind)
        )
    context = _question_form_context(question_set, form_class(), kind=kind)
    if request.htmx:
        return render(request, f"{EDITOR}#question-form", context)
    return render(request, EDITOR, _editor_context(request, question_set, **context))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_member_required
def change(request, pk, item_pk):
    question_set = _set_for(request, pk)
    item = _item(question_set, item_pk)
    kind = item.question.kind
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            copied = editing.change(item, form, request.user)
            note = (
                _("Saved as a new question for this set: the old one stays as students saw it.")
                if copied
                else _("Question saved.")
            )
            return _done(request, question_set, focus=item.pk, note=note)
        context = _question_form_context(question_set, form, kind=kind, item=item)
        return _form_again(request, question_set, context)
    form = form_class(initial=form_class.initial_from(item.question))
    context = _question_form_context(question_set, form, kind=kind, item=item)
    if request.htmx:
        return render(request, f"{EDITOR}#question-form", context)
    return render(request, EDITOR, _editor_context(request, question_set, **context))


@require_POST
@staff_member_required
def move(request, pk, item_pk):
    question_set = _set_for(request, pk)
    item = _item(question_set, item_pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if step is None:
        return render(request, "400.html", {"reason": _("Move it up or down.")}, status=400)
    editing.move(item, step)
    # Focus stays on the button pressed, or on the other one once this end is reached.
    order = list(question_set.set_questions.values_list("pk", flat=True))
    at_end = order.index(item.pk) == (0 if step < 0 else len(order) - 1)
    direction = ("down" if step < 0 else "up") if at_end and len(order) > 1 else None
    direction = direction or request.POST["direction"]
    return _done(request, question_set, focus=f"{item.pk}-{direction}")


@require_POST
@staff_member_required
def remove(request, pk, item_pk):
    question_set = _set_for(request, pk)
    item = _item(question_set, item_pk)
    editing.remove(item)
    note = _("Removed from the set (still in the question bank): “%(prompt)s”") % {
        "prompt": item.question.prompt[:80]
    }
    return _done(request, question_set, focus="list", note=note)


@require_POST
@staff_member_required
def generate(request, pk):
    question_set = _set_for(request, pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            context = {"set": question_set, "generate_form": form}
            response = render(request, f"{EDITOR}#generate", context, status=422)
            response["HX-Retarget"] = "#generate"
            response["HX-Reswap"] = "outerHTML"
            return response
        context = _editor_context(request, question_set, generate_form=form)
        return render(request, EDITOR, context, status=422)
    added, asked = editing.add_generated(
        question_set,
        kinds=form.cleaned_data["kinds"],
        count=form.cleaned_data["count"],
        user=request.user,
    )
    note = ngettext(
        "Added %(count)d generated question.", "Added %(count)d generated questions.", added
    ) % {"count": added}
    if added < asked:
        note += " " + _("The unit has no more good questions of these kinds.")
    return _done(request, question_set, focus="list", note=note)


@require_POST
@staff_member_required
def duplicate(request, pk):
    """A copy of any set (a colleague's too), the copy the teacher's own."""
    question_set = _set_for(request, pk, editing_it=False)
    copy = question_set.duplicate(owner=request.user)
    messages.success(request, _("This is your copy, unpublished. The original is unchanged."))
    return redirect("sets:edit", copy.pk)


@require_POST
@staff_member_required
def archive(request, pk):
    question_set = _set_for(request, pk)
    archived = request.POST.get("archived") == "1"
    question_set.archived = archived
    if archived:
        question_set.published = False
    question_set.save(update_fields=["archived", "published"])
    messages.success(
        request,
        _("Archived: hidden from students and from your list; every result is kept.")
        if archived
        else _("Back in your list (unpublished)."),
    )
    return redirect("sets:edit", question_set.pk)
