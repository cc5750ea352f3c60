"""The shape of every write: atomic, keyword-only, typed; unique names decided by the database
even when two requests add the same name at the same moment."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from klebepunkt import privacy
from klebepunkt.monitoring import services as monitoring_services
from klebepunkt.processes import models, services
from klebepunkt.voting import services as voting_services
from tests.factories import ProcessFactory, ThemeFieldFactory

pytestmark = pytest.mark.django_db

READS_AND_HELPERS = {"code_fingerprint", "voter_for_code", "erased_label", "export_member"}
# one dot at a time: the durable transaction is opened inside, with SQLite's writer turn
OWN_TRANSACTION = {"place_dot", "take_back_dot", "set_paper_ballot"}
SERVICE_MODULES = (services, voting_services, monitoring_services, privacy)


def public_writes() -> list[Callable[..., Any]]:
    """Every public function defined in a service module (or a module of the services package)."""
    found = []
    for module in SERVICE_MODULES:
        for name in sorted(getattr(module, "__all__", dir(module))):
            function = getattr(module, name)
            if (
                inspect.isfunction(function)
                and not name.startswith("_")
                and name not in READS_AND_HELPERS
                and function.__module__.startswith(module.__name__)
            ):
                found.append(function)
    return found


def qualified(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__name__}"


@pytest.mark.parametrize("function", public_writes(), ids=qualified)
def test_every_public_write_is_keyword_only_and_typed(function):
    parameters = inspect.signature(function).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    assert all(p.annotation is not inspect.Parameter.empty for p in parameters)


@pytest.mark.parametrize("function", public_writes(), ids=qualified)
def test_every_public_write_runs_in_one_transaction(function):
    source = inspect.getsource(function)
    if function.__name__ in OWN_TRANSACTION:
        assert "transaction.atomic(durable=durable)" in inspect.getsource(
            voting_services._change_dot
        )
    else:
        assert source.lstrip().startswith("@transaction.atomic")


@pytest.mark.django_db(transaction=True)
def test_two_requests_adding_the_same_theme_field_at_once_get_one_field_and_a_clear_error():
    """Two threads (two requests, each with its own database connection): the first stops
    right before its INSERT, after every check it makes, until the second has added the same
    name. Before the database decided, the first failed with an IntegrityError (a 500).

    On PostgreSQL the second commits first and the first gets the error; SQLite takes the
    write lock at BEGIN (IMMEDIATE), so there the second waits for the first (the first stops
    at most a few seconds for it) and gets the error itself. Either way: one theme field and
    one clear German error, never an IntegrityError."""
    process = ProcessFactory()
    at_insert, second_done = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def add(name: str) -> None:
        try:
            services.create_theme_field(process=process, name="Inklusion")
            outcomes[name] = "created"
        except ValidationError as error:
            outcomes[name] = error.message_dict
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connection.close()

    def first() -> None:
        def stop_before_insert(execute, sql, params, many, context):
            if "INSERT" in sql.upper() and "processes_themefield" in sql and not at_insert.is_set():
                at_insert.set()
                second_done.wait(timeout=5)  # SQLite: the second waits for our lock meanwhile
            return execute(sql, params, many, context)

        with connection.execute_wrapper(stop_before_insert):
            add("first")

    def second() -> None:
        at_insert.wait(timeout=30)
        add("second")
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes.values())) == sorted(
        ["created", str({"name": ["Dieses Themenfeld gibt es schon."]})]
    ), outcomes
    assert list(process.theme_fields.values_list("name", flat=True)) == ["Inklusion"]


def test_a_duplicate_name_is_refused_by_the_constraint_and_the_transaction_goes_on():
    """The IntegrityError path: the database refuses, a savepoint keeps the caller's
    transaction usable, the user gets the error on the field."""
    process = ProcessFactory()
    with transaction.atomic():
        services.create_theme_field(process=process, name="Inklusion")
        with pytest.raises(ValidationError) as error:
            services.create_theme_field(process=process, name=" Inklusion ")
        services.create_theme_field(process=process, name="Pflege")
    assert error.value.message_dict == {"name": ["Dieses Themenfeld gibt es schon."]}
    assert list(process.theme_fields.values_list("name", flat=True)) == ["Inklusion", "Pflege"]
    services.create_stakeholder_group(process=process, name="Politik")
    with pytest.raises(ValidationError) as group_error:
        services.create_stakeholder_group(process=process, name="Politik")
    assert list(group_error.value.message_dict) == ["name"]


def test_a_duplicate_theme_field_from_the_page_is_an_error_on_the_form(koblenz, facilitator_client):
    existing = koblenz.theme_fields.first()
    response = facilitator_client.post(
        reverse("processes:theme_field_add", args=[koblenz.pk]), {"name": existing.name}
    )
    assert response.status_code in (200, 302)
    assert koblenz.theme_fields.filter(name=existing.name).count() == 1


def test_renaming_a_theme_field_to_a_taken_name_is_refused():
    first = ThemeFieldFactory(name="Pflege")
    second = ThemeFieldFactory(process=first.process, name="Wohnen")
    with pytest.raises(ValidationError) as error:
        services.rename_theme_field(theme_field=second, name=" Pflege")
    assert list(error.value.message_dict) == ["name"]
    assert models.ThemeField.objects.get(pk=second.pk).name == "Wohnen"
