"""The OpenFEC API: its HTTP client and the refresh that pulls from it (pull, commit, entry points)."""
