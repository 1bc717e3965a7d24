"""What the parser hands to the rest of the bot: plain, dated events.

Kept free of telegram and storage so the parser can be tested and benchmarked on its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

EventKind = Literal[
    "food",
    "migraine_start",
    "migraine_end",
    "medication",
    "no_migraine",
    "skipped_meal",
    "factor",
]
EVENT_KINDS: tuple[EventKind, ...] = (
    "food",
    "migraine_start",
    "migraine_end",
    "medication",
    "no_migraine",
    "skipped_meal",
    "factor",
)

# What the message was, besides the events in it: lets the dialogue answer chatter helpfully.
# "attack_ongoing": talks about a migraine without a start or an end ("head still pounding").
# "future": only food or exercise still to come ("having pasta tomorrow"): nothing is logged.
# "stress_out_of_range" / "sleep_out_of_range": a score or hours that cannot be right
# ("stress 7/5", "stress 0/5", "slept 25 hours"), so the reply can give the scale.
Intent = Literal[
    "log",
    "greeting",
    "question",
    "thanks",
    "negation_only",
    "attack_ongoing",
    "future",
    "stress_out_of_range",
    "sleep_out_of_range",
    "unknown",
]


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """One thing that happened, at a tz-aware time.

    `name` is the canonical lowercase singular food/drink name, the medication name, or for
    skipped_meal one of breakfast/lunch/dinner. `known` is False for a food the vocabulary does
    not know (logged under the words used). For a factor (sleep, stress, exercise...; see
    bot/parsing/factors.py) `name` says which, `value` is its number or None and `detail` its
    text (the activity, the probiotic strain, the antibiotic).
    """

    kind: EventKind
    at: datetime
    name: str | None = None
    quantity: float | None = None
    severity: int | None = None
    dose: str | None = None
    known: bool = True
    value: float | None = None
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The `haven parse` contract: only the fields that belong to this kind."""
        out: dict[str, Any] = {"kind": self.kind, "at": self.at.isoformat()}
        if self.kind == "food":
            out["name"] = self.name
            out["quantity"] = self.quantity
            if not self.known:
                out["unknown"] = True
        elif self.kind == "migraine_start":
            out["severity"] = self.severity
        elif self.kind == "medication":
            out["name"] = self.name
            out["dose"] = self.dose
        elif self.kind == "skipped_meal":
            out["name"] = self.name
        elif self.kind == "factor":
            out["name"] = self.name
            out["value"] = self.value
            if self.detail is not None:
                out["detail"] = self.detail
        return out

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ParseResult:
    events: list[ParsedEvent] = field(default_factory=list)
    intent: Intent = "unknown"
