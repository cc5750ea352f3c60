from django.urls import path

from klebepunkt.privacy import views
from klebepunkt.processes import params  # noqa: F401  (registers the <id:...> converter)

app_name = "privacy"

urlpatterns = [
    path("p/<id:pk>/delete/", views.process_delete, name="process_delete"),
    path(
        "p/<id:pk>/members/<id:member_id>/export.json",
        views.member_export,
        name="member_export",
    ),
    path("p/<id:pk>/members/<id:member_id>/erase/", views.member_erase, name="member_erase"),
]
