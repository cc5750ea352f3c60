from django.urls import path

from klebepunkt.decisions import views, views_phone, views_rewording, views_texts, views_versions
from klebepunkt.processes import params  # noqa: F401  (registers the <id:...> converter)

app_name = "decisions"

urlpatterns = [
    path(
        "p/<id:pk>/meetings/<id:meeting_id>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("p/<id:pk>/decisions/", views.decisions, name="decisions"),
    path("p/<id:pk>/decisions/rule/", views.decision_rule, name="rule"),
    path("p/<id:pk>/decisions/<id:decision_id>/", views.decision, name="decision"),
    path(
        "p/<id:pk>/decisions/<id:decision_id>/close/",
        views.decision_close,
        name="decision_close",
    ),
    path(
        "p/<id:pk>/priorities/<id:goal_id>/working-out/",
        views_rewording.rewording,
        name="rewording",
    ),
    path(
        "p/<id:pk>/decisions/<id:decision_id>/progress/",
        views_phone.progress,
        name="progress",
    ),
    path("v/vote/", views_phone.phone, name="phone"),
    path("p/<id:pk>/texts/", views_texts.report_texts, name="texts"),
    path("p/<id:pk>/texts/<slug:key>/", views_texts.report_text, name="text"),
    path("p/<id:pk>/versions/", views_versions.report_versions, name="versions"),
    path(
        "p/<id:pk>/versions/<id:version_id>/report.<str:fmt>",
        views_versions.version_download,
        name="version_download",
    ),
]
