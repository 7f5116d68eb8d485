from django.urls import path

from history import views

app_name = "history"
urlpatterns = [
    path("units/<slug:slug>/", views.timeline, name="timeline"),
    path("units/<slug:slug>/events/<slug:event_slug>/", views.event_detail, name="event"),
    path("units/<slug:slug>/people/<slug:person_slug>/", views.person_detail, name="person"),
]
