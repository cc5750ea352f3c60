from django.urls import path

from klebepunkt.monitoring import views, views_archive, views_report
from klebepunkt.processes import params  # noqa: F401  (registers the <id:...> converter)

app_name = "monitoring"

urlpatterns = [
    path("p/<id:pk>/monitoring/", views.overview, name="overview"),
    path("p/<id:pk>/monitoring/goals/<id:goal_id>/", views.priority, name="priority"),
    path(
        "p/<id:pk>/monitoring/goals/<id:goal_id>/status/",
        views.status_of_goal,
        name="status_of_goal",
    ),
    path(
        "p/<id:pk>/monitoring/cards/<id:card_id>/status/",
        views.status_of_card,
        name="status_of_card",
    ),
    path(
        "p/<id:pk>/monitoring/goals/<id:goal_id>/indicators/add/",
        views.indicator_add_to_goal,
        name="indicator_add_to_goal",
    ),
    path(
        "p/<id:pk>/monitoring/cards/<id:card_id>/indicators/add/",
        views.indicator_add_to_card,
        name="indicator_add_to_card",
    ),
    path(
        "p/<id:pk>/monitoring/indicators/<id:indicator_id>/",
        views.indicator_edit,
        name="indicator",
    ),
    path(
        "p/<id:pk>/monitoring/indicators/<id:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "p/<id:pk>/monitoring/indicators/<id:indicator_id>/values/add/",
        views.measurement_add,
        name="measurement_add",
    ),
    path(
        "p/<id:pk>/monitoring/values/<id:measurement_id>/delete/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("p/<id:pk>/monitoring/sheet.<str:fmt>", views.sheet_export, name="sheet_export"),
    path("p/<id:pk>/monitoring/import/", views.sheet_upload, name="sheet_upload"),
    path("p/<id:pk>/monitoring/import/preview/", views.sheet_preview, name="sheet_preview"),
    path("p/<id:pk>/monitoring/report/", views_report.report, name="report"),
    path(
        "p/<id:pk>/monitoring/report.<str:fmt>",
        views_report.report_download,
        name="report_download",
    ),
    path("topic-store/", views_archive.archive, name="archive"),
    path("topic-store/take/", views_archive.archive_take, name="archive_take"),
    path("public/<id:pk>/", views_archive.public, name="public"),
]
