"""Names every sheet module of the planning workbook shares: the sheet titles, the disclaimer line and the
layout version."""

from __future__ import annotations

from ... import DISCLAIMER
from ..limits_sheet import LIMITS

INPUTS, SCHEDULE, SUMMARY, SOURCES = "Inputs", "Schedule", "Summary", "Sources & notes"
DISCLAIMER_TEXT = "Educational, not individual tax advice. " + DISCLAIMER.split(": ", 1)[-1].capitalize()
LAYOUT_VERSION = "1"

__all__ = ["DISCLAIMER_TEXT", "INPUTS", "LAYOUT_VERSION", "LIMITS", "SCHEDULE", "SOURCES", "SUMMARY"]
