"""Merge reports of one real-world event from different articles into stories."""

from dateline.merge.stories import (
    FIGURE_FIELDS,
    article_key,
    build_stories,
    compatibility,
    conflict_note,
    find_syndicated,
    render_conflicts,
    report_key,
    reports_from_analysis,
    stories_from_analyses,
)
from dateline.model import Figure, FigureClaim, Report, Story

__all__ = [
    "FIGURE_FIELDS", "Figure", "FigureClaim", "Report", "Story", "article_key", "build_stories",
    "compatibility", "conflict_note", "find_syndicated", "render_conflicts", "report_key",
    "reports_from_analysis", "stories_from_analyses",
]
