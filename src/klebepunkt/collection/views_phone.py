"""The member's phone: join with the meeting's code, pick a theme field, write cards.

No account: the phone carries a signed cookie (``collection.identity``), set by the same
entry page ``/v/`` as for voting (through ``voting.joins``). A member sees and changes
only their own cards; the cards of their theme field show live without names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klebepunkt.collection import card_edit, identity, selectors, services
from klebepunkt.collection.forms import CardForm, new_key
from klebepunkt.collection.models import CardState, CollectedCard, Collection, Participant
from klebepunkt.domain import collection as rules
from klebepunkt.processes.models import ThemeField
from klebepunkt.processes.params import object_id
from klebepunkt.voting import codes
from klebepunkt.voting import identity as voter_identity
from klebepunkt.voting.models import RoundState
from klebepunkt.voting.phone_entry import back_to_join, confirm_code, pick_up
from klebepunkt.voting.polling import polled
from klebepunkt.voting.services import code_fingerprint

# the outcome of a card sent, for the offline queue and the tests: "stored", "repeated",
# or "refused:<code>"
CARD_OUTCOME_HEADER = "X-Klebepunkt-Card"

Params = ParamSpec("Params")


def _joined(participant: Participant) -> HttpResponse:
    services.mark_joined(participant=participant)
    response = redirect("collection:phone")
    identity.remember(response, participant)
    return response


def join_by_code(request: HttpRequest, code: str) -> HttpResponse | None:
    """Registered with the entry page: a personal code of a meeting lets the member in."""
    participant = services.participant_for_code(code)
    return _joined(participant) if participant is not None else None


def page_for_short_code(short_code: str) -> str | None:
    """Registered with the entry page: a meeting's code leads to picking one's name."""
    collection = Collection.objects.filter(short_code=short_code).first()
    return reverse("collection:pick", args=[collection.short_code]) if collection else None


@never_cache
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest, personal_code: str) -> HttpResponse:
    """The link in a QR code: confirm before joining (a GET changes nothing)."""
    return confirm_code(
        request,
        personal_code,
        find=services.participant_for_code,
        join=_joined,
        confirm=lambda participant: render(
            request,
            "collection/confirm.html",
            {"participant": participant, "code": codes.format_code(participant.code)},
        ),
        invalid=_("This code is not valid. Please check it."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def pick(request: HttpRequest, meeting_code: str) -> HttpResponse:
    """Self-service with the meeting code: choose one's own name and get the personal code once."""
    collection = get_object_or_404(
        Collection.objects.select_related("meeting"), short_code=codes.normalise_code(meeting_code)
    )

    def joined(participant: Participant, response: HttpResponse) -> None:
        services.mark_joined(participant=participant)
        identity.remember(response, participant)

    return pick_up(
        request,
        scope=f"round:collection-{collection.pk}",
        field="participant",
        pages=("collection/pick.html", "collection/picked.html"),
        context={"collection": collection},
        available=lambda: (
            collection.meeting.participants.filter(
                revoked_at=None, picked_up_at=None, joined_at=None
            )
            .select_related("member", "member__stakeholder_group")
            .order_by("member__stakeholder_group__position", "member__position", "id")
        ),
        pick=lambda participant_id: services.pick_up_code(
            collection=collection, participant_id=participant_id
        ),
        joined=joined,
        code=lambda participant: participant.code,
        again=lambda: redirect("collection:pick", meeting_code=collection.short_code),
    )


def _back_to_join(request: HttpRequest) -> HttpResponse:
    return back_to_join(htmx=bool(getattr(request, "htmx", False)), forget=identity.forget)


def as_participant(
    view: Callable[Concatenate[HttpRequest, Participant, Params], HttpResponse],
) -> Callable[Concatenate[HttpRequest, Params], HttpResponse]:
    """The view runs for the participant this phone joined as; without one, back to joining."""

    @functools.wraps(view)
    def for_participant(
        request: HttpRequest, /, *args: Params.args, **kwargs: Params.kwargs
    ) -> HttpResponse:
        participant = identity.current_participant(request)
        if participant is None:
            return _back_to_join(request)
        return view(request, participant, *args, **kwargs)

    return for_participant


def _collection_of(participant: Participant) -> Collection | None:
    """The meeting's collection the phone works in: the open one, else the latest."""
    collections = selectors.open_collections(participant)
    return collections.filter(state="open").first() or collections.first()


def _collection_and_field(
    participant: Participant, raw_field: object
) -> tuple[Collection, ThemeField | None]:
    """The collection the phone works in and the theme field named by ``raw_field``; 404
    when the meeting has no collection."""
    collection = _collection_of(participant)
    if collection is None:
        raise Http404
    return collection, _field(collection, raw_field)


def _field(collection: Collection, raw: object) -> ThemeField | None:
    field_id = object_id(raw)
    if field_id is None:
        return None
    return collection.theme_fields.filter(pk=field_id).first()


def _phone_context(
    participant: Participant,
    collection: Collection,
    field: ThemeField | None,
    form: CardForm | None = None,
) -> dict[str, object]:
    fields = list(collection.theme_fields.order_by("position", "id"))
    voting_round = collection.voting_round
    can_vote = (
        voting_round is not None
        and voting_round.state in (RoundState.PREPARED, RoundState.OPEN)
        and services.voter_in_round(participant=participant, voting_round=voting_round) is not None
    )
    return {
        "participant": participant,
        "collection": collection,
        "fields": fields,
        "field": field,
        "form": form or CardForm(),
        "key": new_key(),
        "own": selectors.own_cards(participant, collection),
        "wall": selectors.wall(collection, theme_field_id=field.pk) if field else [],
        "live_url": reverse("collection:phone_live") + (f"?field={field.pk}" if field else ""),
        "can_vote": can_vote,
        "may_change": lambda card: rules.author_may_change(
            rules.CardState(card.state), collection_open=collection.is_open
        ),
    }


@never_cache
@require_GET
@as_participant
def phone(request: HttpRequest, participant: Participant) -> HttpResponse:
    collection = _collection_of(participant)
    if collection is None:
        return _back_to_join(request)
    field = _field(collection, request.GET.get("field"))
    return render(request, "collection/phone.html", _phone_context(participant, collection, field))


@require_GET
@as_participant
def phone_live(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The cards of the member's theme field, polled; unchanged → 304."""
    collection, field = _collection_and_field(participant, request.GET.get("field"))
    stamp = selectors.wall_stamp(collection)  # own cards may be decided on in any field
    return polled(
        request,
        f'"{stamp}-{participant.pk}"',
        lambda: render(
            request, "collection/phone.html#group", _phone_context(participant, collection, field)
        ),
    )


@never_cache
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    """A card from the phone (a form post, or the offline queue's retry with the same key)."""
    participant = identity.current_participant(request)
    if participant is None:
        response = _back_to_join(request)
        response[CARD_OUTCOME_HEADER] = "refused:unknown_participant"
        return response
    collection, field = _collection_and_field(participant, request.POST.get("theme_field"))
    form = CardForm(request.POST)
    outcome = ""
    if field is None:
        messages.error(request, services.CollectionError("theme_field").message)
        outcome = "refused:theme_field"
    elif form.is_valid():
        try:
            _card, created = services.submit_card(
                collection=collection,
                author=participant,
                theme_field_id=field.pk,
                fields=form.fields_value(),
                idempotency_key=request.POST.get("key", ""),
            )
        except services.CollectionError as error:
            messages.error(request, error.message)
            outcome = f"refused:{error.code}"
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Your card is on the wall."))
            outcome = "stored" if created else "repeated"
    if not outcome and form.errors:
        context = _phone_context(participant, collection, field, form)
        response = render(request, "collection/phone.html", context, status=400)
        response[CARD_OUTCOME_HEADER] = "refused:invalid"
        return response
    url = reverse("collection:phone") + (f"?field={field.pk}" if field else "")
    response = redirect(url)
    response[CARD_OUTCOME_HEADER] = outcome
    return response


def _own_card(participant: Participant, entry_id: int) -> CollectedCard:
    """One of the participant's own cards, or 404 (another's card is not revealed)."""
    return get_object_or_404(
        CollectedCard.objects.select_related("collection", "theme_field"),
        pk=entry_id,
        author=participant,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@as_participant
def edit(request: HttpRequest, participant: Participant, entry_id: int) -> HttpResponse:
    card = _own_card(participant, entry_id)
    back = reverse("collection:phone") + f"?field={card.theme_field_id}"
    edit = card_edit.edit_card(request, card, author=participant)
    if edit.done:
        return redirect(back)
    return render(
        request,
        "collection/edit.html",
        {
            "card": card,
            "form": edit.form,
            "version": edit.version,
            "conflict": edit.conflict,
            "back": back,
            "may_change": card.collection.is_open
            and card.state in (CardState.SUBMITTED, CardState.SENT_BACK),
        },
        status=edit.status,
    )


@never_cache
@require_POST
@as_participant
def withdraw(request: HttpRequest, participant: Participant, entry_id: int) -> HttpResponse:
    card = _own_card(participant, entry_id)
    return _on_card(
        request,
        card,
        lambda: services.withdraw_card(card=card, author=participant),
        _("Card withdrawn."),
    )


def _on_card(
    request: HttpRequest, card: CollectedCard, act: Callable[[], object], done: str
) -> HttpResponse:
    """Do ``act`` on a card from the phone and go back to its theme field, saying how it went."""
    try:
        act()
    except services.CollectionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(reverse("collection:phone") + f"?field={card.theme_field_id}")


@require_GET
@as_participant
def similar(request: HttpRequest, participant: Participant) -> HttpResponse:
    """While a card is typed: look-alike cards already on the wall or among the process's cards."""
    collection, field = _collection_and_field(participant, request.GET.get("theme_field"))
    text = request.GET.get("text", "").strip()[:2000]
    alike = selectors.alike(collection, field, text) if field and len(text) >= 8 else []
    own = set(CollectedCard.objects.filter(author=participant).values_list("pk", flat=True))
    return render(
        request,
        "collection/similar.html",
        {"alike": [(t, score, entry if entry not in own else None) for t, score, entry in alike]},
    )


@never_cache
@require_POST
@as_participant
def support(request: HttpRequest, participant: Participant, entry_id: int) -> HttpResponse:
    """Support a card of another member instead of writing a look-alike."""
    card = get_object_or_404(CollectedCard, pk=entry_id, collection__meeting=participant.meeting_id)
    return _on_card(
        request,
        card,
        lambda: services.support_card(card=card, participant=participant),
        _("You support this card."),
    )


@never_cache
@require_POST
@as_participant
def vote(request: HttpRequest, participant: Participant) -> HttpResponse:
    """On to the meeting's voting round with the same join: the same code, no typing."""
    collection = _collection_of(participant)
    voting_round = collection.voting_round if collection else None
    voter = (
        services.voter_in_round(participant=participant, voting_round=voting_round)
        if voting_round is not None
        else None
    )
    if voter is None:
        messages.error(request, _("You have no dots in this round (no voting right)."))
        return redirect("collection:phone")
    response = redirect("voting:ballot")
    voter_identity.remember(response, voter.pk, code_fingerprint(voter.code))
    return response


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    return back_to_join(forget=identity.forget)
