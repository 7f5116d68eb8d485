"""Classes, students and assignments in the admin, each teacher seeing their own."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quiz.core.models import (
    Assignment,
    Classroom,
    StudentProfile,
)
from quiz.core.zones import ZoneNoteAdminMixin


class TeacherScopedAdmin(ZoneNoteAdminMixin, admin.ModelAdmin):
    """A teacher sees only their own classes here; the school admin sees all."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_teacher(request.user)


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
    list_display = ["display_name", "user", "classroom", "extra_time"]
    list_filter = ["classroom", "extra_time"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(TeacherScopedAdmin):
    list_display = ["question_set", "classroom", "opens_at", "closes_at"]
    list_filter = ["classroom"]
