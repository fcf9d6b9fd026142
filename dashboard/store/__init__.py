"""The data directory, owned here: its layout, published snapshots and the `current` swap, atomic
files, locks, the refresh status and the boundary cache. The pipeline writes through it, the app
reads through it; it imports only dashboard.core."""
