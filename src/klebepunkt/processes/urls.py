from django.urls import path

from klebepunkt.processes import views

app_name = "processes"

urlpatterns = [
    path("processes/", views.process_list, name="list"),
    path("processes/new/", views.process_create, name="create"),
    path("processes/import/", views.process_import, name="import"),
    path("p/<int:pk>/", views.process_detail, name="detail"),
    path("p/<int:pk>/settings/", views.process_settings, name="settings"),
    path("p/<int:pk>/access/grant/", views.process_grant, name="grant"),
    path("p/<int:pk>/access/<int:user_id>/revoke/", views.process_revoke, name="revoke"),
    path("p/<int:pk>/delete/", views.process_delete, name="delete"),
    path("p/<int:pk>/members/", views.members, name="members"),
    path("p/<int:pk>/members/add/", views.member_edit, name="member_add"),
    path("p/<int:pk>/members/<int:member_id>/", views.member_edit, name="member_edit"),
    path("p/<int:pk>/members/<int:member_id>/delete/", views.member_delete, name="member_delete"),
    path(
        "p/<int:pk>/members/<int:member_id>/export.json",
        views.member_export,
        name="member_export",
    ),
    path("p/<int:pk>/members/<int:member_id>/erase/", views.member_erase, name="member_erase"),
    path("p/<int:pk>/groups/add/", views.group_edit, name="group_add"),
    path("p/<int:pk>/groups/<int:group_id>/", views.group_edit, name="group_edit"),
    path("p/<int:pk>/groups/<int:group_id>/delete/", views.group_delete, name="group_delete"),
    path("p/<int:pk>/meetings/", views.meetings, name="meetings"),
    path("p/<int:pk>/meetings/add/", views.meeting_edit, name="meeting_add"),
    path("p/<int:pk>/meetings/<int:meeting_id>/", views.meeting_edit, name="meeting_edit"),
    path(
        "p/<int:pk>/meetings/<int:meeting_id>/delete/", views.meeting_delete, name="meeting_delete"
    ),
    path("p/<int:pk>/cards/", views.cards, name="cards"),
    path("p/<int:pk>/cards/add/", views.card_edit, name="card_add"),
    path("p/<int:pk>/cards/similar/", views.card_similar, name="card_similar"),
    path("p/<int:pk>/cards/<int:card_id>/", views.card_edit, name="card_edit"),
    path("p/<int:pk>/cards/<int:card_id>/delete/", views.card_delete, name="card_delete"),
    path("p/<int:pk>/fields/add/", views.theme_field_add, name="theme_field_add"),
    path("p/<int:pk>/fields/<int:field_id>/", views.theme_field_edit, name="theme_field_edit"),
    path("p/<int:pk>/import/", views.sheet_upload, name="sheet_upload"),
    path("p/<int:pk>/import/preview/", views.sheet_preview, name="sheet_preview"),
    path("p/<int:pk>/board/", views.board, name="board"),
    path("p/<int:pk>/board/assign/", views.board_assign, name="board_assign"),
    path("p/<int:pk>/goals/add/", views.goal_add, name="goal_add"),
    path("p/<int:pk>/goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("p/<int:pk>/goals/<int:goal_id>/merge/", views.goal_merge, name="goal_merge"),
    path("p/<int:pk>/goals/<int:goal_id>/split/", views.goal_split, name="goal_split"),
    path("p/<int:pk>/goals/<int:goal_id>/delete/", views.goal_delete, name="goal_delete"),
    path("p/<int:pk>/result/", views.result, name="result"),
    path("p/<int:pk>/export/process.json", views.export_process, name="export_process"),
    path("p/<int:pk>/export/report.<str:fmt>", views.export_report, name="export_report"),
]
