from django.urls import path

from klebepunkt.voting import views_invitations, views_rounds, views_voter

app_name = "voting"

urlpatterns = [
    path("v/", views_voter.join, name="join"),
    path("v/c/<str:code>/", views_voter.join_with_code, name="code"),
    path("v/r/<str:short_code>/", views_voter.pick, name="pick"),
    path("v/ballot/", views_voter.ballot, name="ballot"),
    path("v/ballot/dot/", views_voter.dot, name="dot"),
    path("v/leave/", views_voter.leave, name="leave"),
    path("projector/<str:token>/", views_rounds.shared_projector, name="shared_projector"),
    path(
        "projector/<str:token>/live/",
        views_rounds.shared_projector_live,
        name="shared_projector_live",
    ),
    path("p/<int:pk>/rounds/", views_rounds.rounds, name="rounds"),
    path("p/<int:pk>/rounds/<int:round_id>/", views_rounds.round_detail, name="round"),
    path("p/<int:pk>/rounds/<int:round_id>/state/", views_rounds.round_state, name="round_state"),
    path("p/<int:pk>/rounds/<int:round_id>/close/", views_rounds.round_close, name="round_close"),
    path(
        "p/<int:pk>/rounds/<int:round_id>/voters/<int:voter_id>/",
        views_rounds.voter_code,
        name="voter_code",
    ),
    path("p/<int:pk>/rounds/<int:round_id>/paper/", views_rounds.paper_totals, name="paper_totals"),
    path(
        "p/<int:pk>/rounds/<int:round_id>/paper/member/",
        views_rounds.paper_ballot,
        name="paper_ballot",
    ),
    path("p/<int:pk>/rounds/<int:round_id>/projector/", views_rounds.projector, name="projector"),
    path(
        "p/<int:pk>/rounds/<int:round_id>/projector/live/",
        views_rounds.projector_live,
        name="projector_live",
    ),
    path("p/<int:pk>/rounds/<int:round_id>/codes.pdf", views_rounds.code_sheet, name="code_sheet"),
    path("p/<int:pk>/rounds/<int:round_id>/verify/", views_rounds.verify, name="verify"),
    path(
        "p/<int:pk>/rounds/<int:round_id>/invitations/",
        views_invitations.invitations_page,
        name="invitations",
    ),
]
