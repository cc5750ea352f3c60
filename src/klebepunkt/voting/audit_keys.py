"""The audit key: the secret of the MACs on the audit chain, kept outside the database.

Somebody who can write the database cannot forge a MAC without this key. Where it
comes from (read once, by ``web/settings.py``):

* ``KLEBEPUNKT_AUDIT_KEY``: the current key (several hosts: the same on each, like
  ``KLEBEPUNKT_SECRET_KEY``), and ``KLEBEPUNKT_AUDIT_KEYS_RETIRED``: earlier keys,
  separated by commas, kept to verify what they signed;
* otherwise the file ``audit_key`` in the data directory, next to ``secret_key``
  (made on first start, mode 0600): its first line is the current key, every further
  line a retired one.

Rotation (``klebepunkt manage rotate_audit_key``, or by hand): a new key goes on the
first line, the old ones move down and stay; restart the app. New events carry the
new key's id; ``klebepunkt verify`` checks every event with the key its id names.
A key's id is a short hash of it (it tells nothing about the key).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

FILE_NAME = "audit_key"
MIN_LENGTH = 32


class AuditKeyError(Exception):
    """An audit key that is too short to be a secret."""


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"klebepunkt audit key id|" + key).hexdigest()[:12]


def new_key() -> str:
    return secrets.token_urlsafe(48)


def _usable(text: str, where: str) -> bytes:
    if len(text) < MIN_LENGTH:
        raise AuditKeyError(f"{where}: an audit key needs at least {MIN_LENGTH} characters")
    return text.encode("utf-8")


def _file_keys(path: Path) -> list[str]:
    try:
        return [line.strip() for line in path.read_text().splitlines() if line.strip()]
    except FileNotFoundError:
        return []


def _write(path: Path, keys: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".new")
    temporary.write_text("\n".join(keys) + "\n")
    temporary.chmod(0o600)
    temporary.replace(path)


def load(data_dir: Path, environ: Mapping[str, str] = os.environ) -> tuple[str, dict[str, bytes]]:
    """(id of the current key, every known key by id), the current one first."""
    path = data_dir / FILE_NAME
    texts: list[tuple[str, str]] = []
    if current := environ.get("KLEBEPUNKT_AUDIT_KEY", "").strip():
        texts.append((current, "KLEBEPUNKT_AUDIT_KEY"))
        retired = environ.get("KLEBEPUNKT_AUDIT_KEYS_RETIRED", "")
        texts += [(k.strip(), "KLEBEPUNKT_AUDIT_KEYS_RETIRED") for k in retired.split(",")]
        texts += [(k, str(path)) for k in _file_keys(path)]
    else:
        stored = _file_keys(path)
        if not stored:
            stored = [new_key()]
            _write(path, stored)
        texts += [(k, str(path)) for k in stored]
    keys: dict[str, bytes] = {}
    for text, where in texts:
        if text:
            key = _usable(text, where)
            keys.setdefault(key_id(key), key)
    return next(iter(keys)), keys


def rotate(data_dir: Path) -> str:
    """A new current key in the data directory's key file; the old ones stay. Its id."""
    path = data_dir / FILE_NAME
    fresh = new_key()
    _write(path, [fresh, *_file_keys(path)])
    return key_id(fresh.encode("utf-8"))


def current() -> tuple[str, bytes]:
    """(id, key) to sign new events with."""
    from django.conf import settings

    return settings.AUDIT_KEY_ID, settings.AUDIT_KEYS[settings.AUDIT_KEY_ID]


def known() -> Mapping[str, bytes]:
    """Every key that may have signed an event: the current one and the retired ones."""
    from django.conf import settings

    keys: Mapping[str, bytes] = settings.AUDIT_KEYS
    return keys
