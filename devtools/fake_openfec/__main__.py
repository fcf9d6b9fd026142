"""`python -m devtools.fake_openfec`: serve the fake OpenFEC API."""
from devtools.fake_openfec import main

raise SystemExit(main())
