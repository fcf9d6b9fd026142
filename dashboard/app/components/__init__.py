"""Reusable layout pieces every page is made of. Pages compose these; they hold no SQL."""
