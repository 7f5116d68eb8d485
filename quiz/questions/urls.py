from django.urls import path

from quiz.questions import views

app_name = "sets"
urlpatterns = [
    path("", views.set_list, name="list"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/add/<slug:kind>/", views.add, name="add"),
    path("<int:pk>/questions/<int:item_pk>/", views.change, name="change"),
    path("<int:pk>/questions/<int:item_pk>/move/", views.move, name="move"),
    path("<int:pk>/questions/<int:item_pk>/remove/", views.remove, name="remove"),
    path("<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("<int:pk>/archive/", views.archive, name="archive"),
]
