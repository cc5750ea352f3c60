"""The reader of a process file: typed fields by path, and the error that names the path.

The sections of the file (``__init__``, ``proceedings``, ``rewordings``) all read through it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from klebepunkt.domain import DomainError, Location, Message, gettext_noop
from klebepunkt.domain.limits import has_forbidden_character

T = TypeVar("T")


class DocumentError(DomainError):
    """A process document that cannot be read, with the path of the bad field."""


class Reader:
    """Reads the fields of a process file; ``fail`` names the path of a bad one."""

    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, path: str, msgid: str, **params: Any) -> DocumentError:
        return DocumentError(Message(msgid, params), Location(file=self.filename, column=path))

    def get(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        kind: type[T],
        default: Any = ...,
        *,
        limit: int | None = None,
    ) -> T:
        """The field ``key`` of ``obj`` as a ``kind``; a text at most ``limit`` characters long,
        a whole number from 0 to ``limit``."""
        here = f"{path}.{key}" if path else key
        if key not in obj:
            if default is ...:
                raise self.fail(here, gettext_noop("This field is missing."))
            return default  # type: ignore[no-any-return]
        value = obj[key]
        if value is None and default is None:
            return cast(T, None)  # an optional field: the caller asked for None as the default
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(here, gettext_noop("Expected a whole number."))
        if kind is str and not isinstance(value, str):
            raise self.fail(here, gettext_noop("Expected a text."))
        if kind is bool and not isinstance(value, bool):
            raise self.fail(here, gettext_noop("Expected true or false."))
        if kind is list and not isinstance(value, list):
            raise self.fail(here, gettext_noop("Expected a list."))
        if kind is dict and not isinstance(value, dict):
            raise self.fail(here, gettext_noop("Expected an object."))
        if isinstance(value, str):
            if has_forbidden_character(value):
                raise self.fail(
                    here,
                    gettext_noop("The text contains a null character, which cannot be stored."),
                )
            if limit is not None and len(value) > limit:
                raise self.fail(
                    here, gettext_noop("This text is longer than %(max)s characters."), max=limit
                )
        if kind is int and limit is not None and not 0 <= value <= limit:
            raise self.fail(
                here,
                gettext_noop("Expected a whole number from 0 to %(max)s."),
                max=f"{limit:,}".replace(",", "."),
            )
        return value  # type: ignore[no-any-return]

    def items(
        self, obj: dict[str, Any], key: str, path: str, parse: Callable[[dict[str, Any], str], T]
    ) -> list[T]:
        values = self.get(obj, key, path, list, [])
        result = []
        for index, item in enumerate(values):
            here = f"{path}.{key}[{index}]" if path else f"{key}[{index}]"
            if not isinstance(item, dict):
                raise self.fail(here, gettext_noop("Expected an object."))
            result.append(parse(item, here))
        return result
