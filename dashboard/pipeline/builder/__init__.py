"""Turning raw tables into a validated snapshot of extracts, and publishing it."""
