from django.urls import path

from klebepunkt.processes import params  # noqa: F401  (registers the <id:...> converter)
from klebepunkt.voting import views_invitations, views_rounds, views_voter

app_name = "voting"

urlpatterns = [
    path("v/ballot/dot/", views_voter.dot, name="dot"),  # first: a click is the hot path
    path("v/", views_voter.join, name="join"),
    path("v/c/<str:code>/", views_voter.join_with_code, name="code"),
    path("v/r/<str:short_code>/", views_voter.pick, name="pick"),
    path("v/ballot/", views_voter.ballot, name="ballot"),
    path("v/leave/", views_voter.leave, name="leave"),
    path("projector/<str:token>/", views_rounds.shared_projector, name="shared_projector"),
    path(
        "projector/<str:token>/live/",
        views_rounds.shared_projector_live,
        name="shared_projector_live",
    ),
    path("p/<id:pk>/rounds/", views_rounds.rounds, name="rounds"),
    path("p/<id:pk>/rounds/<id:round_id>/", views_rounds.round_detail, name="round"),
    path("p/<id:pk>/rounds/<id:round_id>/state/", views_rounds.round_state, name="round_state"),
    path("p/<id:pk>/rounds/<id:round_id>/close/", views_rounds.round_close, name="round_close"),
    path(
        "p/<id:pk>/rounds/<id:round_id>/voters/<id:voter_id>/",
        views_rounds.voter_code,
        name="voter_code",
    ),
    path("p/<id:pk>/rounds/<id:round_id>/paper/", views_rounds.paper_totals, name="paper_totals"),
    path(
        "p/<id:pk>/rounds/<id:round_id>/paper/member/",
        views_rounds.paper_ballot,
        name="paper_ballot",
    ),
    path("p/<id:pk>/rounds/<id:round_id>/projector/", views_rounds.projector, name="projector"),
    path(
        "p/<id:pk>/rounds/<id:round_id>/projector/live/",
        views_rounds.projector_live,
        name="projector_live",
    ),
    path("p/<id:pk>/rounds/<id:round_id>/codes.pdf", views_rounds.code_sheet, name="code_sheet"),
    path("p/<id:pk>/rounds/<id:round_id>/verify/", views_rounds.verify, name="verify"),
    path(
        "p/<id:pk>/rounds/<id:round_id>/invitations/",
        views_invitations.invitations_page,
        name="invitations",
    ),
]
