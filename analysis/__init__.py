"""Personal food-trigger analysis: pure functions over plain diary data.

Imports neither the bot nor storage nor telegram. See docs/method.md for the method in plain words.
"""

from analysis.chart import render_chart_png
from analysis.gut import GutSummary, WeekStats, render_gut_html, weekly_summary
from analysis.measures import FoodFacts
from analysis.model import (
    SKIPPED_MEAL,
    AnalysisSettings,
    DiaryEvent,
    FoodResult,
    TriggerReport,
    Verdict,
)
from analysis.pipeline import analyse
from analysis.report import render_food_detail_html, render_report_html

__all__ = [
    "SKIPPED_MEAL",
    "AnalysisSettings",
    "DiaryEvent",
    "FoodFacts",
    "FoodResult",
    "GutSummary",
    "TriggerReport",
    "Verdict",
    "WeekStats",
    "analyse",
    "render_chart_png",
    "render_food_detail_html",
    "render_gut_html",
    "render_report_html",
    "weekly_summary",
]
