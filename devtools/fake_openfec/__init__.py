"""A local fake of the OpenFEC API, serving the demo generator's synthetic data over real HTTP.

For tests and for a refresh demo without internet. It follows `openfec-api.md` (shared reference):
routes under /v1/ with or without the trailing slash, the gateway's 403 without a valid key and
429 past the hourly limit (`X-RateLimit-*` headers, no Retry-After), the JSON envelopes, offset
pagination (`page`/`per_page` <= 100, empty page past the end) and keyset pagination on Schedules A
and E (`last_index` + `last_<sort>` or `sort_null_only`, `last_indexes: null` on an empty page), the
422 and 400 validation errors, and the data's traps: earmarked gifts filed twice (recipient 15E, conduit
24T), memo rows, amended reports whose superseded rows stay in Schedule A; outside spending as the
processed Schedule E (newest regular lines, every notice version) and the raw e-filed notices
(whole dollars, no sub_id, four months only), from the demo's raw `schedule_e`.

Every row has a `load_date` (the day its filing was processed: coverage end + 15 days, amendments
later), and the fake's clock (`as_of`) hides filings loaded after it, so tests can let new filings
"arrive" between two refreshes. Faults are switched on at start-up or at run time through
`POST /_fake/config` (no key, not counted): random 5xx, slow answers, and scripted faults for the
next matching requests (`500`, `502`, `503`, `504`, `quirk404`, `429`, `malformed`, `short`,
`slow`, `reset`). `GET /_fake/stats` counts requests by path and status.

The data is synthetic: every response carries `X-Synthetic-Data: demo-generator`, which the
refresh records so pages built from it keep the demo banner. Tests that play the real API switch
the header off (`synthetic: false` in `/_fake/config`).

Modules, in the order a request meets them:
    server.py      FakeOpenFEC: the HTTP server and its request handler
    faults.py      the gateway (keys, hourly limits), injected faults, the clock: FakeSettings
    params.py      query parameters with the API's validation rules
    endpoints.py   each OpenFEC path, with offset pagination
    schedule_a.py  /schedules/schedule_a/ with keyset pagination
    schedule_e.py  /schedules/schedule_e/ (keyset) and /schedules/schedule_e/efile/ (offset)
    records.py     table rows written as the API's JSON records
    data.py        the demo generator's raw tables, read and indexed
    errors.py      the error answers
    cli.py         `python -m devtools.fake_openfec` (serve alone, or while a command runs)
"""

from devtools.fake_openfec.faults import FAKE_KEY
from devtools.fake_openfec.server import FakeOpenFEC

__all__ = ["FAKE_KEY", "FakeOpenFEC"]
