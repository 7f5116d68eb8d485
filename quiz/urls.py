from django.contrib import admin
from django.urls import include, path

from history import views as history_views

admin.site.site_header = "History Quiz"
admin.site.site_title = "History Quiz"
admin.site.index_title = "Teachers' desk"

urlpatterns = [
    path("", history_views.unit_list, name="home"),
    path("", include("history.urls")),
    path("quiz/", include("quiz.quiz_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
