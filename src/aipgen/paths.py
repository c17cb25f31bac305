"""Where the project's own assets live (templates, fonts, chart styles)."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT / "templates"
CHARTS = PROJECT / "charts"
