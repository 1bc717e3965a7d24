"""Personal food-trigger analysis: pure functions over plain diary data.

Imports neither the bot nor storage nor telegram. See docs/method.md for the method in plain words.
"""

from analysis.model import (
    SKIPPED_MEAL,
    AnalysisSettings,
    DiaryEvent,
    FoodResult,
    TriggerReport,
    Verdict,
)
from analysis.pipeline import analyse

__all__ = [
    "SKIPPED_MEAL",
    "AnalysisSettings",
    "DiaryEvent",
    "FoodResult",
    "TriggerReport",
    "Verdict",
    "analyse",
]
