"""Editing a card's texts, from the wall (the facilitator) or from the author's phone.

Both save through ``services.edit_card`` on top of the version the form was shown with;
a card changed meanwhile keeps both texts and shows the conflict (HTTP 409).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from klebepunkt.collection import services
from klebepunkt.collection.forms import CardForm
from klebepunkt.collection.models import CollectedCard, Participant
from klebepunkt.processes.params import object_id


@dataclass
class CardEdit:
    """The form to show, the version it edits, a conflicting card; ``done``: go back."""

    form: CardForm
    version: int
    conflict: CollectedCard | None = None
    done: bool = False

    @property
    def status(self) -> int:
        return 409 if self.conflict else 200


def edit_card(
    request: HttpRequest,
    card: CollectedCard,
    *,
    author: Participant | None,
    theme_field_id: int | None = None,
) -> CardEdit:
    """A GET shows the card's texts; a POST saves them (``done``) or says why not."""
    if request.method != "POST":
        initial = {
            "text": card.text,
            "goal_text": card.goal_text,
            "indicator": card.indicator,
            "responsible": card.responsible,
        }
        return CardEdit(form=CardForm(initial=initial), version=card.version)
    edit = CardEdit(
        form=CardForm(request.POST), version=object_id(request.POST.get("version")) or 0
    )
    if not edit.form.is_valid():
        return edit
    try:
        services.edit_card(
            card=card,
            fields=edit.form.fields_value(),
            version=edit.version,
            author=author,
            theme_field_id=theme_field_id,
        )
    except services.CardChanged as changed:
        edit.conflict, edit.version = changed.current, changed.current.version
        messages.error(
            request,
            _("The card was changed meanwhile. Both texts are kept; compare them and save again."),
        )
    except services.CollectionError as error:
        messages.error(request, error.message)
        edit.done = True
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            edit.form.add_error(name if name in edit.form.fields else None, errors)
    else:
        messages.success(request, _("Card saved."))
        edit.done = True
    return edit
