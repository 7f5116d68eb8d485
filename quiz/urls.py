from django.contrib import admin
from django.urls import include, path

from history import views as history_views
from quiz.accounts.forms import AdminSignInForm
from quiz.accounts.views import SignInView
from quiz.classes import views as classes_views
from quiz.health import health

admin.site.site_header = "History Quiz"
admin.site.site_title = "History Quiz"
admin.site.index_title = "Teachers' desk"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", history_views.unit_list, name="home"),
    path("health/", health, name="health"),
    path("", include("history.urls")),
    path("quiz/", include("quiz.play.urls")),
    path("live/", include("quiz.live.urls")),
    path("teach/reports/", include("quiz.reports.urls")),
    path("teach/sets/", include("quiz.questions.urls")),
    path("teach/", include("quiz.classes.urls")),
    path("join/", classes_views.join, name="join"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
