"""Attempts and answers in the admin: read-only results, scoped to the teacher's students."""

from django.contrib import admin
from django.urls import reverse

from quiz.core.models import (
    Answer,
    Attempt,
)
from quiz.reports.data import students_for


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

    def get_queryset(self, request):
        # A teacher sees the attempts of their own classes' students, as in the reports.
        return super().get_queryset(request).filter(student__in=students_for(request.user))

    def has_delete_permission(self, request, obj=None):
        # A result is never lost by one click; the school admin can still remove one.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def view_on_site(self, obj):
        # The sitting's own page is the student's; a teacher reads it in the reports.
        return reverse("reports:student", args=[obj.student_id])

    def has_add_permission(self, request):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["attempt", "position", "points", "credit", "late", "timed_out"]
    readonly_fields = [f.name for f in Answer._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(attempt__student__in=students_for(request.user))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        return False
