"""The facilitator's side: open a collection, the live wall, decide on cards, start the vote.

The projector shows the same wall by its secret link. The wall's live part is polled
every second with the last ETag; an unchanged wall answers 304.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.collection import card_edit, selectors, services
from klebepunkt.collection.forms import CardForm, CollectionForm, RoundFromCollectionForm, new_key
from klebepunkt.collection.models import CollectedCard, Collection
from klebepunkt.processes.models import Meeting, Process, Role
from klebepunkt.processes.params import object_id
from klebepunkt.processes.permissions import process_for
from klebepunkt.processes.views.common import apply_validation_error
from klebepunkt.voting import codes
from klebepunkt.voting.polling import polled


def _collection_for(
    request: HttpRequest, pk: int, collection_id: int, *, change: bool = False
) -> tuple[Process, Role, Collection]:
    process, role = process_for(request.user, pk, change=change)
    collection = get_object_or_404(
        Collection.objects.select_related("meeting", "voting_round"),
        pk=collection_id,
        meeting__process=process,
    )
    return process, role, collection


def _card_for(collection: Collection, entry_id: int | None) -> CollectedCard:
    return get_object_or_404(CollectedCard, pk=entry_id or 0, collection=collection)


@login_required
@require_http_methods(["GET", "POST"])
def collections(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """The collections of a meeting, and the form to open one."""
    process, role = process_for(request.user, pk, change=request.method == "POST")
    meeting = get_object_or_404(Meeting, pk=meeting_id, process=process)
    form = CollectionForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.open_collection(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The card collection is open."))
            return redirect("collection:wall", pk=process.pk, collection_id=collection.pk)
    return render(
        request,
        "collection/collections.html",
        {
            "process": process,
            "role": role,
            "meeting": meeting,
            "collections": meeting.collections.all(),
            "form": form,
        },
    )


def _wall_context(
    collection: Collection, *, facilitator: bool, process: Process | None = None
) -> dict[str, Any]:
    wall = selectors.wall(collection)
    return {
        "process": process,
        "collection": collection,
        "wall": wall,
        "total": sum(len(column.cards) for column in wall),
        "facilitator": facilitator,
    }


def _wall_live(
    request: HttpRequest,
    collection: Collection,
    *,
    facilitator: bool,
    process: Process | None = None,
) -> HttpResponse:
    return polled(
        request,
        f'"{selectors.wall_stamp(collection)}{"-f" if facilitator else ""}"',
        lambda: render(
            request,
            "collection/wall.html#live",
            _wall_context(collection, facilitator=facilitator, process=process),
        ),
    )


@login_required
@require_GET
def wall(request: HttpRequest, pk: int, collection_id: int) -> HttpResponse:
    process, role, collection = _collection_for(request, pk, collection_id)
    facilitator = role is Role.FACILITATOR
    context = _wall_context(collection, facilitator=facilitator, process=process)
    context.update(
        {
            "role": role,
            "live_url": reverse("collection:wall_live", args=[pk, collection_id]),
            "paper_form": CardForm(auto_id="paper_%s"),
            "key": new_key(),
            "round_form": RoundFromCollectionForm(
                initial={
                    "title": _("Dot vote: %(question)s") % {"question": collection.question},
                    "dots_per_voter": process.dots_per_voter,
                }
            ),
            "projector_url": reverse("collection:projector", args=[collection.wall_token]),
            "join_code": collection.short_code,
        }
    )
    return render(request, "collection/wall.html", context)


@login_required
@require_GET
def wall_live(request: HttpRequest, pk: int, collection_id: int) -> HttpResponse:
    process, role, collection = _collection_for(request, pk, collection_id)
    return _wall_live(request, collection, facilitator=role is Role.FACILITATOR, process=process)


def _back(pk: int, collection: Collection, entry_id: int | None = None) -> HttpResponse:
    url = reverse("collection:wall", args=[pk, collection.pk])
    return redirect(url + (f"#entry-{entry_id}" if entry_id else ""))


def _decision(
    request: HttpRequest, pk: int, collection_id: int, entry_id: int, act: Any
) -> HttpResponse:
    _process, _role, collection = _collection_for(request, pk, collection_id, change=True)
    card = _card_for(collection, entry_id)
    try:
        message = act(card)
    except services.CollectionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return _back(pk, collection, entry_id)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int, collection_id: int, entry_id: int) -> HttpResponse:
    def act(card: CollectedCard) -> str:
        services.accept_card(card=card, actor=request.user)  # type: ignore[arg-type]
        return _("Card accepted: it is a card of the process now.")

    return _decision(request, pk, collection_id, entry_id, act)


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int, collection_id: int, entry_id: int) -> HttpResponse:
    def act(card: CollectedCard) -> str:
        services.send_back(
            card=card,
            reason=request.POST.get("reason", ""),
            actor=request.user,  # type: ignore[arg-type]
        )
        return _("Card sent back with the reason.")

    return _decision(request, pk, collection_id, entry_id, act)


@login_required
@require_POST
def merge(request: HttpRequest, pk: int, collection_id: int, entry_id: int) -> HttpResponse:
    _process, _role, collection = _collection_for(request, pk, collection_id, change=True)

    def act(card: CollectedCard) -> str:
        target = CollectedCard.objects.filter(
            pk=object_id(request.POST.get("target")) or 0, collection=collection
        ).first()
        if target is None:
            raise services.CollectionError("merge")
        services.merge_cards(source=card, target=target, actor=request.user)  # type: ignore[arg-type]
        return _("Card merged.")

    return _decision(request, pk, collection_id, entry_id, act)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int, collection_id: int, entry_id: int) -> HttpResponse:
    process, role, collection = _collection_for(
        request, pk, collection_id, change=request.method == "POST"
    )
    card = _card_for(collection, entry_id)
    edit = card_edit.edit_card(
        request,
        card,
        author=None,
        theme_field_id=object_id(request.POST.get("theme_field")),
    )
    if edit.done:
        return _back(pk, collection, entry_id)
    return render(
        request,
        "collection/wall_edit.html",
        {
            "process": process,
            "role": role,
            "collection": collection,
            "card": card,
            "form": edit.form,
            "version": edit.version,
            "conflict": edit.conflict,
            "fields": collection.theme_fields.order_by("position", "id"),
        },
        status=edit.status,
    )


@login_required
@require_POST
def paper(request: HttpRequest, pk: int, collection_id: int) -> HttpResponse:
    """A card written on paper, typed in at the wall: the same list as the phones'."""
    _process, _role, collection = _collection_for(request, pk, collection_id, change=True)
    form = CardForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _back(pk, collection)
    try:
        services.submit_card(
            collection=collection,
            author=None,
            theme_field_id=object_id(request.POST.get("theme_field")) or 0,
            fields=form.fields_value(),
            idempotency_key=request.POST.get("key", ""),
        )
    except services.CollectionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Paper card added."))
    return _back(pk, collection)


@login_required
@require_POST
def close(request: HttpRequest, pk: int, collection_id: int) -> HttpResponse:
    _process, _role, collection = _collection_for(request, pk, collection_id, change=True)
    try:
        services.close_collection(collection=collection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The card collection is closed. You can start the dot vote now.")
        )
    return _back(pk, collection)


@login_required
@require_POST
def start_round(request: HttpRequest, pk: int, collection_id: int) -> HttpResponse:
    process, _role, collection = _collection_for(request, pk, collection_id, change=True)
    form = RoundFromCollectionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _back(pk, collection)
    try:
        voting_round = services.start_round(collection=collection, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(pk, collection)
    messages.success(
        request,
        _("Round prepared over the cards accepted in this meeting; members keep their code."),
    )
    return redirect("voting:round", pk=process.pk, round_id=voting_round.pk)


@login_required
@require_GET
def participants(request: HttpRequest, pk: int, collection_id: int) -> HttpResponse:
    """The personal codes of the meeting, to hand out (the facilitator only)."""
    process, role, collection = _collection_for(request, pk, collection_id, change=True)
    from klebepunkt.reports.codes import qr_svg

    if collection.is_open:  # a member added since the collection opened gets a code too
        services.ensure_participants(meeting=collection.meeting)

    def link(code: str) -> str:
        return request.build_absolute_uri(reverse("collection:code", args=[code]))

    entries = [
        (participant, codes.format_code(participant.code), qr_svg(link(participant.code)))
        for participant in collection.meeting.participants.select_related(
            "member", "member__stakeholder_group"
        ).order_by("member__stakeholder_group__position", "member__position", "id")
    ]
    return render(
        request,
        "collection/participants.html",
        {"process": process, "role": role, "collection": collection, "entries": entries},
    )


def _by_token(token: str) -> Collection:
    return get_object_or_404(Collection.objects.select_related("meeting"), wall_token=token)


@require_GET
def projector(request: HttpRequest, wall_token: str) -> HttpResponse:
    """The wall for the beamer, by its secret link: no login, no buttons, no names."""
    collection = _by_token(wall_token)
    context = _wall_context(collection, facilitator=False)
    context.update(
        {
            "live_url": reverse("collection:projector_live", args=[wall_token]),
            "join_base": request.build_absolute_uri(reverse("voting:join")),
        }
    )
    return render(request, "collection/projector.html", context)


@require_GET
def projector_live(request: HttpRequest, wall_token: str) -> HttpResponse:
    """Polled every second by every projector: the same body for all of them, rendered once per
    change of the wall and shared through the cache (Redis when configured, else the database)."""
    collection = _by_token(wall_token)
    stamp = selectors.wall_stamp(collection)

    def body() -> str:
        key = f"klebepunkt:wall:{wall_token}:{stamp}"
        cached: str | None = cache.get(key)
        if cached is None:
            cached = render_to_string(
                "collection/wall.html#live",
                _wall_context(collection, facilitator=False),
                request=request,
            )
            cache.set(key, cached, timeout=60)
        return cached

    return polled(request, f'"{stamp}"', body)
