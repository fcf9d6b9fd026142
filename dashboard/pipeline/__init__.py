"""The write side: command-line processes that fetch or generate raw data (demo, OpenFEC API, FEC
bulk files, Census boundaries), build the extracts and publish snapshots. Never imported by the
app; never runs inside gunicorn."""
