"""Many saves at once against the real database (SQLite here; PostgreSQL in its pass).

Twenty threads, each with its own database connection, send the same card with one
idempotency key at the same moment: it is stored once. Two threads save the same
card on top of the same version: one wins, the other is told, and both texts are kept.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from klebepunkt.collection import services
from klebepunkt.collection.models import CardRevision, CollectedCard
from klebepunkt.collection.services import CardChanged, CardFields
from tests.collection.conftest import participant_of

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 20


def at_once(count: int, work) -> list[object]:
    """Run ``work(index)`` in ``count`` threads released together; their results or errors."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # kept, and asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_the_same_card_sent_20_times_at_once_is_stored_once(meeting, collection, field):
    author = participant_of(meeting)

    def send(_index: int):
        return services.submit_card(
            collection=collection,
            author=author,
            theme_field_id=field.pk,
            fields=CardFields(text="Mehr Kita-Plätze in der Innenstadt"),
            idempotency_key="one-key-for-all",
        )

    results = at_once(SENDERS, send)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert CollectedCard.objects.filter(collection=collection).count() == 1
    stored = CollectedCard.objects.get(collection=collection)
    assert {card.pk for card, _created in results} == {stored.pk}
    assert sum(1 for _card, created in results if created) == 1
    assert CardRevision.objects.filter(collected_card=stored).count() == 1


def test_two_concurrent_edits_lose_no_text(meeting, collection, field):
    author = participant_of(meeting)
    card, _ = services.submit_card(
        collection=collection,
        author=author,
        theme_field_id=field.pk,
        fields=CardFields(text="Erste Fassung"),
        idempotency_key="edit-me",
    )
    texts = ["Fassung der Moderation", "Fassung der Autorin"]

    def save(index: int):
        return services.edit_card(
            card=card,
            fields=CardFields(text=texts[index]),
            version=1,
            author=None if index == 0 else author,
        )

    results = at_once(2, save)
    changed = [r for r in results if isinstance(r, CardChanged)]
    saved = [r for r in results if isinstance(r, CollectedCard)]
    assert len(changed) == 1 and len(saved) == 1, results
    current = CollectedCard.objects.get(pk=card.pk)
    assert current.version == 2
    assert current.text == saved[0].text
    assert changed[0].current.text == current.text  # the second save sees the first's text
    assert changed[0].yours.text != current.text  # … next to its own
    kept = set(CardRevision.objects.filter(collected_card=card).values_list("text", flat=True))
    assert {"Erste Fassung", *texts} <= kept
