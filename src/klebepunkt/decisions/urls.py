from django.urls import path

from klebepunkt.decisions import views, views_texts, views_versions

app_name = "decisions"

urlpatterns = [
    path(
        "p/<int:pk>/meetings/<int:meeting_id>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path("p/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("p/<int:pk>/decisions/rule/", views.decision_rule, name="rule"),
    path("p/<int:pk>/decisions/<int:decision_id>/", views.decision, name="decision"),
    path(
        "p/<int:pk>/decisions/<int:decision_id>/close/",
        views.decision_close,
        name="decision_close",
    ),
    path("p/<int:pk>/texts/", views_texts.report_texts, name="texts"),
    path("p/<int:pk>/texts/<slug:key>/", views_texts.report_text, name="text"),
    path("p/<int:pk>/versions/", views_versions.report_versions, name="versions"),
    path(
        "p/<int:pk>/versions/<int:version_id>/report.<str:fmt>",
        views_versions.version_download,
        name="version_download",
    ),
]
