from django.urls import path

from quiz.play import views

app_name = "quiz"
urlpatterns = [
    path("", views.my_quizzes, name="my_quizzes"),
    path("history/", views.history, name="history"),
    path("sets/<int:pk>/start/", views.start, name="start"),
    path("sets/<int:pk>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("sets/<int:pk>/preview/", views.preview, name="preview"),
    path("attempts/<int:pk>/", views.play_view, name="play"),
    path("attempts/<int:pk>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/next/", views.next_question, name="next"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
]
