from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from history.admin_widgets import SafeAutocompleteMixin
from quiz.models import (
    Answer,
    Assignment,
    Attempt,
    Classroom,
    Kind,
    Option,
    Question,
    QuestionSet,
    SetQuestion,
    StudentProfile,
)
from quiz.zones import ZoneNoteAdminMixin


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
            if not text.lstrip("-").isdigit():
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
        fields = ["unit", "kind", "prompt", "answer_year", "tolerance", "explanation", "sources"]

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


@admin.register(QuestionSet)
class QuestionSetAdmin(ZoneNoteAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "unit",
        "question_total",
        "published",
        "opens_at",
        "closes_at",
        "links",
    ]
    list_filter = ["published", "unit"]
    search_fields = ["title", "instructions"]
    inlines = [SetQuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "unit", "instructions", "published"]}),
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
        return super().get_queryset(request).annotate(total=Count("set_questions"))

    @admin.display(description=_("questions"), ordering="total")
    def question_total(self, obj):
        return obj.total

    @admin.display(description="")
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:quiz_questionset_generate", args=[obj.pk]),
            _("Add generated questions"),
            reverse("quiz:preview", args=[obj.pk]),
            _("Preview"),
            reverse("reports:set", args=[obj.pk]),
            _("Results"),
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
        from quiz.generate_admin import generate_view

        question_set = get_object_or_404(QuestionSet, pk=pk)
        if not self.has_change_permission(request, question_set):
            return redirect("admin:index")
        return generate_view(self, request, question_set)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = [
        "student",
        "question_set",
        "score",
        "correct_count",
        "started_at",
        "finished_at",
    ]
    list_filter = ["question_set"]
    search_fields = ["student__username", "question_set__title"]
    readonly_fields = [f.name for f in Attempt._meta.fields]

    def view_on_site(self, obj):
        # The sitting's own page is the student's; a teacher reads it in the reports.
        return reverse("reports:student", args=[obj.student_id])

    def has_add_permission(self, request):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["attempt", "position", "points", "credit", "late", "timed_out"]
    readonly_fields = [f.name for f in Answer._meta.fields]

    def has_add_permission(self, request):
        return False


class TeacherScopedAdmin(ZoneNoteAdminMixin, admin.ModelAdmin):
    """A teacher sees only their own classes here; the school admin sees all."""

    teacher_path = "teacher"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.teacher_path: request.user})


@admin.register(Classroom)
class ClassroomAdmin(TeacherScopedAdmin):
    list_display = ["name", "teacher", "join_code", "joining_open", "class_page"]
    search_fields = ["name", "join_code"]
    readonly_fields = ["join_code"]

    @admin.display(description="")
    def class_page(self, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), _("Roster and sign-in sheet")
        )


@admin.register(StudentProfile)
class StudentProfileAdmin(TeacherScopedAdmin):
    teacher_path = "classroom__teacher"
    list_display = ["display_name", "user", "classroom", "extra_time"]
    list_filter = ["classroom", "extra_time"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(TeacherScopedAdmin):
    teacher_path = "classroom__teacher"
    list_display = ["question_set", "classroom", "opens_at", "closes_at"]
    list_filter = ["classroom"]
