"""Voting codes: random, easy to type, never ambiguous (no 0/O, 1/l/I)."""

from __future__ import annotations

import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols: no 0, 1, I, L, O
PERSONAL_CODE_LENGTH = 9  # 9 × log2(31) ≈ 44.6 bits
ROUND_CODE_LENGTH = 6
PSEUDONYM_LENGTH = 6

PERSONAL_CODE_BITS = PERSONAL_CODE_LENGTH * math.log2(len(ALPHABET))


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def personal_code() -> str:
    return random_code(PERSONAL_CODE_LENGTH)


def round_code() -> str:
    return random_code(ROUND_CODE_LENGTH)


def pseudonym() -> str:
    return "S-" + random_code(PSEUDONYM_LENGTH)


def format_code(code: str) -> str:
    """ABCDEFGHJ → ABC-DEF-GHJ, for reading aloud and printing."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


def normalise_code(text: str) -> str:
    """What a member typed → the stored form: upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())[:40]
