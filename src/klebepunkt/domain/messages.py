"""User-facing messages as values.

The domain core knows no Django and no locale. A message is an English msgid
with named parameters; the shell (Django, the CLI) translates the msgid with
its gettext catalogue (``locale/de``) and fills in the parameters.
``gettext_noop`` marks the msgids so that ``makemessages`` extracts them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]


def gettext_noop(msgid: str) -> str:
    """Mark a msgid for extraction without translating it."""
    return msgid


def _identity(msgid: str) -> str:
    return msgid


@dataclass(frozen=True, slots=True)
class Message:
    """A translatable text: an English msgid in %(name)s style and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = _identity) -> str:
        template = translate(self.msgid)
        if not self.params:
            return template
        return template % dict(self.params)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem sits: file, row as a spreadsheet shows it, and column."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    column_letter: str | None = None  # "F", as a spreadsheet labels its columns

    def render(self, translate: Translate = _identity) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(translate(gettext_noop("row %(row)s")) % {"row": self.row})
        if self.column:
            column = translate(gettext_noop("column “%(column)s”")) % {"column": self.column}
            if self.column_letter:
                column = f"{column} ({self.column_letter})"
            parts.append(column)
        return ", ".join(parts)


class DomainError(Exception):
    """An error the user can act on: a message and where it happened."""

    def __init__(self, message: Message, location: Location | None = None) -> None:
        self.message = message
        self.location = location or Location()
        super().__init__(self.render())

    def render(self, translate: Translate = _identity) -> str:
        where = self.location.render(translate)
        text = self.message.render(translate)
        return f"{where}: {text}" if where else text


class CodedRefusal(Exception):
    """A refusal named by a code, with the message for the person who was refused.

    Subclasses list their codes and (translatable) messages in ``MESSAGES``; the message is
    rendered in the language active when it is read.
    """

    MESSAGES: Mapping[str, Any] = {}

    def __init__(self, code: str):
        self.code = code
        super().__init__(str(self.MESSAGES[code]))

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code])
