from django.urls import path

from quiz.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("sets/<int:pk>/", views.set_report, name="set"),
    path("sets/<int:pk>/questions/", views.item_report, name="items"),
    path("classes/<int:pk>/", views.classroom_report, name="classroom"),
    path("students/<int:pk>/", views.student_report, name="student"),
]
