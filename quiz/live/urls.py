from django.urls import path

from quiz.live import push, views

app_name = "live"
urlpatterns = [
    path("", views.join, name="join"),
    path("host/<int:set_pk>/", views.host_new, name="host_new"),
    path("<int:pk>/host/", views.host_view, name="host"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/players/", views.host_players, name="players"),
    path("<int:pk>/next/", views.advance, name="next"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/remove/<int:student_pk>/", views.remove, name="remove"),
    path("<int:pk>/", views.play, name="play"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/state/", views.state, name="state"),
    path("<int:pk>/events/", push.events, name="events"),
]
