"""Questions and question sets in the admin: the teacher writes and orders them here."""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Value
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from history.admin_widgets import SafeAutocompleteMixin
from quiz.core.models import (
    Kind,
    Option,
    Question,
    QuestionSet,
    SetQuestion,
)
from quiz.core.zones import ZoneNoteAdminMixin
from quiz.questions.generate import generate_view

YEAR_TEXT = re.compile(r"-?[0-9]+")  # ASCII digits only, unlike \d and str.isdigit()


class OptionFormSet(BaseInlineFormSet):
    """The rules a question's options must follow, by kind; errors land on the field."""

    def clean(self):
        super().clean()
        kind = self.instance.kind
        forms_kept = [
            f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        seen = {}
        for form in forms_kept:
            text = form.cleaned_data["text"].strip().casefold()
            if text in seen:
                form.add_error("text", _("The same option appears twice."))
            seen[text] = form
        if kind == Kind.YEAR:
            if not forms_kept:
                return
            self._clean_year_options(forms_kept)
        elif kind == Kind.CHRONOLOGY:
            self._clean_chronology(forms_kept)
        else:
            wanted = 2 if kind == Kind.WHICH_FIRST else None
            if wanted and len(forms_kept) != wanted:
                raise ValidationError(_("“Which came first?” needs exactly two events."))
            if not wanted and not 3 <= len(forms_kept) <= 6:
                raise ValidationError(
                    _("A multiple-choice question needs 3 to 6 options (4 is best).")
                )
            correct = [f for f in forms_kept if f.cleaned_data.get("is_correct")]
            if len(correct) != 1:
                raise ValidationError(
                    _("Tick exactly one correct option (%(count)d ticked).")
                    % {"count": len(correct)}
                )

    def _clean_year_options(self, forms_kept):
        answer = self.instance.answer_year
        if len(forms_kept) != 4:
            raise ValidationError(_("A year question has no options (typed) or exactly four."))
        for form in forms_kept:
            text = form.cleaned_data["text"].strip()
            # Not str.isdigit(): it accepts "¹⁹¹⁷", which no year is.
            if not YEAR_TEXT.fullmatch(text):
                form.add_error("text", _("Year options must be years, like 1917."))
            elif (text == str(answer)) != bool(form.cleaned_data.get("is_correct")):
                form.add_error(
                    "is_correct", _("Tick the option equal to the correct year, only it.")
                )

    def _clean_chronology(self, forms_kept):
        if not 3 <= len(forms_kept) <= 5:
            raise ValidationError(_("A chronology question needs 3 to 5 events."))
        places = []
        for form in forms_kept:
            place = form.cleaned_data.get("correct_position")
            if place is None:
                form.add_error("correct_position", _("Give this event its place in time."))
            places.append(place)
        if None not in places and sorted(places) != list(range(1, len(forms_kept) + 1)):
            raise ValidationError(
                _("Places in the correct order must be 1 to %(count)d, each once.")
                % {"count": len(forms_kept)}
            )


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionFormSet
    extra = 4
    fields = ["text", "is_correct", "correct_position", "position"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "unit",
            "kind",
            "prompt",
            "answer_year",
            "tolerance",
            "explanation",
            "sources",
            "shuffle_options",
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Kind.YEAR and cleaned.get("answer_year") is None:
            self.add_error("answer_year", _("A year question needs the correct year."))
        if kind != Kind.YEAR and cleaned.get("answer_year") is not None:
            self.add_error("answer_year", _("Only year questions have a correct year."))
        if kind == Kind.YEAR and cleaned.get("tolerance", 0) > 10:
            self.add_error("tolerance", _("More than 10 years either way is not a near miss."))
        if kind != Kind.YEAR and cleaned.get("tolerance"):
            self.add_error("tolerance", _("Only year questions have a tolerance."))
        answer = cleaned.get("answer_year")
        prompt = cleaned.get("prompt") or ""
        if kind == Kind.YEAR and answer is not None and str(abs(answer)) in prompt:
            self.add_error("prompt", _("The prompt gives the answer away: it contains the year."))
        return cleaned


@admin.register(Question)
class QuestionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    form = QuestionForm
    inlines = [OptionInline]
    list_display = ["prompt", "kind", "unit", "origin"]
    list_filter = ["unit", "kind", ("template", admin.EmptyFieldListFilter)]
    search_fields = ["prompt", "explanation", "options__text"]
    autocomplete_fields = ["sources"]
    readonly_fields = ["template", "event", "person"]

    def get_fields(self, request, obj=None):
        fields = [*QuestionForm.Meta.fields]
        return [*fields, *self.readonly_fields] if obj and obj.template else fields

    @admin.display(description=_("origin"))
    def origin(self, obj):
        return (
            _("generated (%(template)s)") % {"template": obj.template}
            if obj.template
            else _("written")
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def get_actions(self, request):
        # "Delete selected" checks no object's owner: deleting is one question at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class SetQuestionInline(SafeAutocompleteMixin, admin.TabularInline):
    model = SetQuestion
    extra = 0
    autocomplete_fields = ["question"]
    fields = ["position", "question", "kind"]
    readonly_fields = ["kind"]

    @admin.display(description=_("kind"))
    def kind(self, obj):
        return obj.question.get_kind_display() if obj.pk else ""

    # `obj` is the set: its questions are as read-only as the set is.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or obj.editable_by(request.user)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.editable_by(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.editable_by(request.user)
        )


class ArchivedFilter(admin.SimpleListFilter):
    """Archived sets are out of the way unless asked for."""

    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("all", _("All")), ("yes", _("Archived only"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Current"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(archived=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(archived=False)


class OwnerFilter(admin.SimpleListFilter):
    title = _("teacher")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My sets")), ("0", _("Colleagues' sets"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(owner=request.user)
        if self.value() == "0":
            return queryset.exclude(owner=request.user)
        return queryset


@admin.register(QuestionSet)
class QuestionSetAdmin(ZoneNoteAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "unit",
        "question_total",
        "published",
        "opens_at",
        "closes_at",
        "owner",
        "links",
    ]
    list_filter = [ArchivedFilter, OwnerFilter, "published", "unit"]
    search_fields = ["title", "instructions"]
    inlines = [SetQuestionInline]
    actions = ["duplicate", "archive", "unarchive"]
    fieldsets = [
        (None, {"fields": ["title", "unit", "instructions", "published", "archived"]}),
        (
            _("Timing"),
            {
                "fields": [
                    "seconds_per_question",
                    "question_count",
                    "shuffle",
                    "opens_at",
                    "closes_at",
                ]
            },
        ),
        (
            _("Scoring and feedback"),
            {"fields": ["scoring", "feedback", "attempts_allowed", "leaderboard"]},
        ),
    ]

    def get_queryset(self, request):
        user = request.user
        editable = (
            Value(True)
            if user.is_superuser
            else ExpressionWrapper(
                Q(owner__isnull=True) | Q(owner=user), output_field=BooleanField()
            )
        )
        return (
            super()
            .get_queryset(request)
            .select_related("owner")
            .annotate(total=Count("set_questions"), editable=editable)
        )

    @admin.display(description=_("questions"), ordering="total")
    def question_total(self, obj):
        return obj.total

    @admin.display(description="")
    def links(self, obj):
        links = format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("live:host_new", args=[obj.pk]),
            _("Host live"),
            reverse("quiz:preview", args=[obj.pk]),
            _("Preview"),
            reverse("reports:set", args=[obj.pk]),
            _("Results"),
        )
        if obj.editable:
            links = format_html(
                '<a href="{}">{}</a> · {}',
                reverse("admin:quiz_questionset_generate", args=[obj.pk]),
                _("Add generated questions"),
                links,
            )
        return links

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            # Only the school admin hands a set to another teacher.
            first = dict(fieldsets[0][1])
            first["fields"] = [*first["fields"], "owner"]
            fieldsets = [(fieldsets[0][0], first), *fieldsets[1:]]
        return fieldsets

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return obj.editable_by(request.user) and not obj.attempts.exists()

    def get_actions(self, request):
        # "Delete selected" would check no owner and no attempts: delete one set at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        question_set = self.get_object(request, object_id)
        if question_set is not None and request.method == "GET":
            if not question_set.editable_by(request.user):
                self.message_user(
                    request,
                    _(
                        "This set is %(owner)s's: you can use it read-only, "
                        "or duplicate it to make a copy of your own."
                    )
                    % {"owner": question_set.owner.get_username()},
                    messages.INFO,
                )
            elif question_set.attempts.exists():
                self.message_user(
                    request,
                    _("Students have sat this set, so it cannot be deleted; archive it instead."),
                    messages.INFO,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Duplicate selected sets (the copies are yours)"))
    def duplicate(self, request, queryset):
        copies = [question_set.duplicate(owner=request.user) for question_set in queryset]
        self.message_user(
            request,
            ngettext(
                "%(count)d copy made, unpublished: %(titles)s.",
                "%(count)d copies made, unpublished: %(titles)s.",
                len(copies),
            )
            % {"count": len(copies), "titles": ", ".join(c.title for c in copies)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Archive selected sets (results are kept)"))
    def archive(self, request, queryset):
        self._set_archived(request, queryset, archived=True)

    @admin.action(description=_("Un-archive selected sets"))
    def unarchive(self, request, queryset):
        self._set_archived(request, queryset, archived=False)

    def _set_archived(self, request, queryset, *, archived):
        mine = [s.pk for s in queryset.select_related(None) if s.editable_by(request.user)]
        changes = {"archived": archived, **({"published": False} if archived else {})}
        done = QuestionSet.objects.filter(pk__in=mine).update(**changes)
        refused = queryset.count() - len(mine)
        if done:
            self.message_user(
                request,
                ngettext("%(count)d set archived.", "%(count)d sets archived.", done)
                % {"count": done}
                if archived
                else ngettext("%(count)d set un-archived.", "%(count)d sets un-archived.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d set is a colleague's and was left as it is.",
                    "%(count)d sets are colleagues' and were left as they are.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:pk>/generate/",
                self.admin_site.admin_view(self.generate_view),
                name="quiz_questionset_generate",
            ),
            *super().get_urls(),
        ]

    def generate_view(self, request, pk):
        question_set = get_object_or_404(QuestionSet, pk=pk)
        if not self.has_change_permission(request, question_set):
            return redirect("admin:index")
        return generate_view(self, request, question_set)
