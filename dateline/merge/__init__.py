"""Merge reports of one real-world event from different articles into stories."""

from dateline.merge.incidents import FIGURE_FIELDS, compatibility, report_key
from dateline.merge.stories import (
    article_key,
    build_stories,
    conflict_note,
    find_syndicated,
    render_conflicts,
    reports_from_analysis,
    stories_from_analyses,
)
from dateline.model import Figure, FigureClaim, Incident, Report, Story

__all__ = [
    "FIGURE_FIELDS", "Figure", "FigureClaim", "Incident", "Report", "Story", "article_key", "build_stories",
    "compatibility", "conflict_note", "find_syndicated", "render_conflicts", "report_key",
    "reports_from_analysis", "stories_from_analyses",
]
