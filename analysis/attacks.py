"""Attacks from start/end events: pairing, open attacks, and merging relapses into one attack.

A start less than `relapse_hours` after the previous attack ended is a relapse of that attack,
not a new onset. An attack with no logged end lasts `open_attack_hours`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from analysis.model import AnalysisSettings, DiaryEvent


@dataclass(frozen=True)
class Attack:
    """One attack after merging: its (new) onset and its end, both tz-aware."""

    onset: datetime
    end: datetime
    relapses: int = 0  # starts merged into this attack


def raw_attacks(events: Sequence[DiaryEvent], open_hours: float) -> list[tuple[datetime, datetime]]:
    """Pair each start with the first end after it; an unmatched start lasts `open_hours`.

    A second start before an end (the person logged the same attack twice) stays in the same
    attack; an end with no start before it is ignored.
    """
    marks = sorted(
        (e.at, 0 if e.kind == "migraine_start" else 1)
        for e in events
        if e.kind in ("migraine_start", "migraine_end")
    )
    open_len = timedelta(hours=open_hours)
    out: list[tuple[datetime, datetime]] = []
    start: datetime | None = None
    for at, kind in marks:
        if kind == 0:
            if start is not None and at - start >= open_len:
                out.append((start, start + open_len))  # the earlier one never got an end
                start = at
            elif start is None:
                start = at
        elif start is not None:
            out.append((start, max(at, start)))
            start = None
    if start is not None:
        out.append((start, start + open_len))
    return out


def merge_relapses(
    spans: Sequence[tuple[datetime, datetime]], relapse_hours: float
) -> list[Attack]:
    """Merge each span starting less than `relapse_hours` after the previous end into it."""
    gap = timedelta(hours=relapse_hours)
    merged: list[Attack] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1].end + gap:
            last = merged[-1]
            merged[-1] = Attack(last.onset, max(last.end, end), last.relapses + 1)
        else:
            merged.append(Attack(start, end))
    return merged


def find_attacks(events: Sequence[DiaryEvent], settings: AnalysisSettings) -> list[Attack]:
    """New attacks, in time order, after pairing starts/ends and merging relapses."""
    return merge_relapses(raw_attacks(events, settings.open_attack_hours), settings.relapse_hours)
