"""The campaign-finance dashboard: core (shared facts), store (the data directory), pipeline (the
write side) and app (the read side). See docs/architecture.md."""
