from django.urls import path

from klebepunkt.processes import (
    params,  # noqa: F401  (registers the <id:...> converter)
    report_job_views,
)
from klebepunkt.processes.views import (
    board,
    cards,
    history,
    member_sheet,
    members,
    process,
    result,
)

app_name = "processes"

urlpatterns = [
    path("processes/", process.process_list, name="list"),
    path("processes/new/", process.process_create, name="create"),
    path("processes/import/", process.process_import, name="import"),
    path("p/<id:pk>/", process.process_detail, name="detail"),
    path("p/<id:pk>/settings/", process.process_settings, name="settings"),
    path("p/<id:pk>/access/grant/", process.process_grant, name="grant"),
    path("p/<id:pk>/access/<id:user_id>/revoke/", process.process_revoke, name="revoke"),
    path("p/<id:pk>/members/", members.members, name="members"),
    path("p/<id:pk>/members/add/", members.member_edit, name="member_add"),
    path(
        "p/<id:pk>/members/import/",
        member_sheet.member_sheet_upload,
        name="member_sheet_upload",
    ),
    path(
        "p/<id:pk>/members/import/preview/",
        member_sheet.member_sheet_preview,
        name="member_sheet_preview",
    ),
    path("p/<id:pk>/members/<id:member_id>/", members.member_edit, name="member_edit"),
    path("p/<id:pk>/members/<id:member_id>/delete/", members.member_delete, name="member_delete"),
    path("p/<id:pk>/groups/add/", members.group_edit, name="group_add"),
    path("p/<id:pk>/groups/<id:group_id>/", members.group_edit, name="group_edit"),
    path("p/<id:pk>/groups/<id:group_id>/delete/", members.group_delete, name="group_delete"),
    path("p/<id:pk>/meetings/", members.meetings, name="meetings"),
    path("p/<id:pk>/meetings/add/", members.meeting_edit, name="meeting_add"),
    path("p/<id:pk>/meetings/<id:meeting_id>/", members.meeting_edit, name="meeting_edit"),
    path(
        "p/<id:pk>/meetings/<id:meeting_id>/delete/",
        members.meeting_delete,
        name="meeting_delete",
    ),
    path("p/<id:pk>/cards/", cards.cards, name="cards"),
    path("p/<id:pk>/cards/add/", cards.card_edit, name="card_add"),
    path("p/<id:pk>/cards/similar/", cards.card_similar, name="card_similar"),
    path("p/<id:pk>/cards/<id:card_id>/", cards.card_edit, name="card_edit"),
    path("p/<id:pk>/cards/<id:card_id>/delete/", cards.card_delete, name="card_delete"),
    path("p/<id:pk>/fields/add/", cards.theme_field_add, name="theme_field_add"),
    path("p/<id:pk>/fields/<id:field_id>/", cards.theme_field_edit, name="theme_field_edit"),
    path("p/<id:pk>/import/", cards.sheet_upload, name="sheet_upload"),
    path("p/<id:pk>/import/preview/", cards.sheet_preview, name="sheet_preview"),
    path("p/<id:pk>/board/", board.board, name="board"),
    path("p/<id:pk>/board/assign/", board.board_assign, name="board_assign"),
    path("p/<id:pk>/goals/add/", board.goal_add, name="goal_add"),
    path("p/<id:pk>/goals/<id:goal_id>/edit/", board.goal_edit, name="goal_edit"),
    path("p/<id:pk>/goals/<id:goal_id>/merge/", board.goal_merge, name="goal_merge"),
    path("p/<id:pk>/goals/<id:goal_id>/split/", board.goal_split, name="goal_split"),
    path("p/<id:pk>/goals/<id:goal_id>/delete/", board.goal_delete, name="goal_delete"),
    path("p/<id:pk>/result/", result.result, name="result"),
    path("p/<id:pk>/history/", history.history, name="history"),
    path("p/<id:pk>/export/process.json", process.export_process, name="export_process"),
    path("p/<id:pk>/export/report.<str:fmt>", result.export_report, name="export_report"),
    path("p/<id:pk>/reports/<uuid:job_id>/", report_job_views.report_job, name="report_job"),
    path(
        "p/<id:pk>/reports/<uuid:job_id>/file",
        report_job_views.report_job_file,
        name="report_job_file",
    ),
    path(
        "p/<id:pk>/reports/<uuid:job_id>/retry/",
        report_job_views.report_job_retry,
        name="report_job_retry",
    ),
]
