"""Texts of click and typer (the CLI's help and usage errors), kept in our catalogue.

click and typer translate with the standard library's gettext; ``klebepunkt.i18n``
points it at our catalogue. Listing the msgids here lets ``makemessages`` keep
their German translations.
"""

from __future__ import annotations

from klebepunkt.domain.messages import gettext_noop


def ngettext_lazy(singular: str, plural: str, number: int) -> tuple[str, str]:
    """Mark a plural pair for extraction."""
    return singular, plural


MSGIDS = (
    gettext_noop("Usage:"),
    gettext_noop("Show this message and exit."),
    gettext_noop("Arguments"),
    gettext_noop("Options"),
    gettext_noop("Commands"),
    gettext_noop("Error"),
    gettext_noop("Aborted."),
    gettext_noop("[default: {}]"),
    gettext_noop("[required]"),
    gettext_noop("Try [blue]'{command_path} {help_option}'[/] for help."),
    gettext_noop("Try '{command} {option}' for help."),
    gettext_noop("Error: {message}"),
    gettext_noop("Missing argument"),
    gettext_noop("Missing option"),
    gettext_noop("Missing parameter"),
    gettext_noop("Missing command."),
    gettext_noop("No such option {name!r}."),
    gettext_noop("No such command {name!r}."),
    gettext_noop("Invalid value for {param_hint}: {message}"),
    gettext_noop("Invalid value: {message}"),
    gettext_noop("{value!r} is not a valid {number_type}."),
    gettext_noop("integer"),
    gettext_noop("file"),
    gettext_noop("path"),
)
PLURALS = (
    ngettext_lazy("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 2),
    ngettext_lazy("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2),
    ngettext_lazy(
        "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 2
    ),
)
