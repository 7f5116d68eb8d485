from django.urls import path

from quiz.classes import views

app_name = "teach"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("classes/<int:pk>/", views.classroom_detail, name="classroom"),
    path("classes/<int:pk>/students/", views.add_students, name="add_students"),
    path("classes/<int:pk>/students/<int:student_pk>/", views.update_student, name="student"),
    path(
        "classes/<int:pk>/students/<int:student_pk>/reset/",
        views.reset_password,
        name="reset_password",
    ),
    path("classes/<int:pk>/merge/", views.merge_students, name="merge_students"),
    path("classes/<int:pk>/assign/", views.assign, name="assign"),
    path(
        "classes/<int:pk>/assignments/<int:assignment_pk>/delete/",
        views.unassign,
        name="unassign",
    ),
    path("classes/<int:pk>/code/", views.join_code, name="join_code"),
]
