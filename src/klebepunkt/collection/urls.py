from django.urls import path

from klebepunkt.collection import views, views_phone

app_name = "collection"

urlpatterns = [
    # the member's phone
    path("k/", views_phone.phone, name="phone"),
    path("k/live/", views_phone.phone_live, name="phone_live"),
    path("k/cards/", views_phone.submit, name="submit"),
    path("k/cards/<int:entry_id>/", views_phone.edit, name="edit"),
    path("k/cards/<int:entry_id>/withdraw/", views_phone.withdraw, name="withdraw"),
    path("k/cards/<int:entry_id>/support/", views_phone.support, name="support"),
    path("k/similar/", views_phone.similar, name="similar"),
    path("k/vote/", views_phone.vote, name="vote"),
    path("k/leave/", views_phone.leave, name="leave"),
    path("k/c/<str:personal_code>/", views_phone.code, name="code"),
    path("k/r/<str:meeting_code>/", views_phone.pick, name="pick"),
    # the projector by its secret link
    path("k/wall/<str:wall_token>/", views.projector, name="projector"),
    path("k/wall/<str:wall_token>/live/", views.projector_live, name="projector_live"),
    # the facilitator
    path(
        "p/<int:pk>/meetings/<int:meeting_id>/collections/",
        views.collections,
        name="collections",
    ),
    path("p/<int:pk>/collections/<int:collection_id>/", views.wall, name="wall"),
    path("p/<int:pk>/collections/<int:collection_id>/live/", views.wall_live, name="wall_live"),
    path("p/<int:pk>/collections/<int:collection_id>/paper/", views.paper, name="paper"),
    path("p/<int:pk>/collections/<int:collection_id>/close/", views.close, name="close"),
    path("p/<int:pk>/collections/<int:collection_id>/round/", views.start_round, name="round"),
    path(
        "p/<int:pk>/collections/<int:collection_id>/codes/",
        views.participants,
        name="participants",
    ),
    path(
        "p/<int:pk>/collections/<int:collection_id>/cards/<int:entry_id>/",
        views.edit,
        name="wall_edit",
    ),
    path(
        "p/<int:pk>/collections/<int:collection_id>/cards/<int:entry_id>/accept/",
        views.accept,
        name="accept",
    ),
    path(
        "p/<int:pk>/collections/<int:collection_id>/cards/<int:entry_id>/send-back/",
        views.send_back,
        name="send_back",
    ),
    path(
        "p/<int:pk>/collections/<int:collection_id>/cards/<int:entry_id>/merge/",
        views.merge,
        name="merge",
    ),
]
