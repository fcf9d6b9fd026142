"""`python -m devtools.fake_openfec`: serve the fake OpenFEC API (see cli.py)."""

from devtools.fake_openfec.cli import main

raise SystemExit(main())
