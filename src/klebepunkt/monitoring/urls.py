from django.urls import path

from klebepunkt.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("p/<int:pk>/monitoring/", views.overview, name="overview"),
    path("p/<int:pk>/monitoring/goals/<int:goal_id>/", views.priority, name="priority"),
    path(
        "p/<int:pk>/monitoring/goals/<int:goal_id>/status/",
        views.status_of_goal,
        name="status_of_goal",
    ),
    path(
        "p/<int:pk>/monitoring/cards/<int:card_id>/status/",
        views.status_of_card,
        name="status_of_card",
    ),
    path(
        "p/<int:pk>/monitoring/goals/<int:goal_id>/indicators/add/",
        views.indicator_add_to_goal,
        name="indicator_add_to_goal",
    ),
    path(
        "p/<int:pk>/monitoring/cards/<int:card_id>/indicators/add/",
        views.indicator_add_to_card,
        name="indicator_add_to_card",
    ),
    path(
        "p/<int:pk>/monitoring/indicators/<int:indicator_id>/",
        views.indicator_edit,
        name="indicator",
    ),
    path(
        "p/<int:pk>/monitoring/indicators/<int:indicator_id>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "p/<int:pk>/monitoring/indicators/<int:indicator_id>/values/add/",
        views.measurement_add,
        name="measurement_add",
    ),
    path(
        "p/<int:pk>/monitoring/values/<int:measurement_id>/delete/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("p/<int:pk>/monitoring/sheet.<str:fmt>", views.sheet_export, name="sheet_export"),
    path("p/<int:pk>/monitoring/import/", views.sheet_upload, name="sheet_upload"),
    path("p/<int:pk>/monitoring/import/preview/", views.sheet_preview, name="sheet_preview"),
    path("p/<int:pk>/monitoring/report/", views.report, name="report"),
    path("p/<int:pk>/monitoring/report.<str:fmt>", views.report_download, name="report_download"),
    path("topic-store/", views.archive, name="archive"),
    path("topic-store/take/", views.archive_take, name="archive_take"),
    path("public/<int:pk>/", views.public, name="public"),
]
