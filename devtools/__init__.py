"""Tools for tests and the offline demo, beside the package: a fake OpenFEC API and a writer of
the FEC bulk-file layouts. They may use the pipeline; nothing in dashboard/ imports them."""
