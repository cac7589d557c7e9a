"""Reusable widgets, one per module (their CSS travels with them as DEFAULT_CSS)."""
