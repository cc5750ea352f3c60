"""What changed between two issued versions of a report, from their frozen JSON.

Pure: two snapshots (the report's JSON as a dict) in, the changes per section out —
the priorities, the topic store, the texts and the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SectionChange:
    section: str  # "priorities", "topic_store", "texts", "numbers"
    removed: tuple[str, ...]
    added: tuple[str, ...]


def _priorities(snapshot: dict[str, Any]) -> list[str]:
    return [
        f"{p.get('nr', '')} {p['goal']} ({p['theme_field']}, {p['points']})".strip()
        for p in snapshot.get("priorities", [])
    ]


def _topic_store(snapshot: dict[str, Any]) -> list[str]:
    return [f"{e['theme_field']}: {e['text']}" for e in snapshot.get("topic_store", [])]


def _texts(snapshot: dict[str, Any]) -> list[str]:
    texts = snapshot.get("texts") or {}
    lines = [
        f"{key}: {texts.get(key, '')}" for key in ("foreword", "introduction", "method", "closing")
    ]
    lines += [f"{t['theme_field']}: {t['text']}" for t in texts.get("theme_fields", [])]
    lines += [f"{t['goal']}: {t['text']}" for t in texts.get("reasons", [])]
    lines += [f"{t['date']}: {t['text']}" for t in texts.get("minutes", [])]
    return [line for line in lines if not line.endswith(": ")]


def _numbers(snapshot: dict[str, Any]) -> list[str]:
    lines = [
        f"{key}: {snapshot.get(key)}"
        for key in ("total_dots", "threshold", "dots_per_voter", "cap_per_card", "aggregation")
    ]
    lines += [
        f"{d['decided_on']} {d['motion']}: {d['result']} ({d['yes']}/{d['no']}/{d['abstentions']})"
        for d in snapshot.get("decisions", [])
    ]
    return lines


SECTIONS = {
    "priorities": _priorities,
    "topic_store": _topic_store,
    "texts": _texts,
    "numbers": _numbers,
}


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[SectionChange]:
    """Per section, the lines only in ``old`` (removed) and only in ``new`` (added), in order;
    sections without a change are left out."""
    changes = []
    for section, lines_of in SECTIONS.items():
        before, after = lines_of(old), lines_of(new)
        removed = tuple(line for line in before if line not in after)
        added = tuple(line for line in after if line not in before)
        if removed or added:
            changes.append(SectionChange(section, removed, added))
    return changes
