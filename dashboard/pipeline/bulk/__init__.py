"""Full loads from the FEC's bulk files into the raw store (see the shared reference
`fec-bulk-formats.md`).

    python -m dashboard load-bulk --cycle 2024 (--files DIR | --download) [--force]

What it reads: for a cycle, any subset of the FEC's zips (`cn24.zip`, `cm24.zip`, `ccl24.zip`,
`weball24.zip`, `webl24.zip`, `webk24.zip`, `indiv24.zip`, `pas224.zip`) or of the files inside them
(`cn.txt`, ..., `itcont.txt`, `itpas2.txt`), also under cycle-suffixed names (`cn24.txt`, `weball.txt`,
`indiv24.txt`, ...: `sources.looked_for` lists them; a missing kind is reported with them). Zips are
streamed, never unpacked, and only their top-level text file is read (the `indiv` zip also holds a
`by_date/` copy of every row). And the independent expenditures, `independent_expenditure_2024.csv`
(published bare, not zipped; found zipped too): the cycle's 24/48-hour notices, every version, as raw
`schedule_e` lines (formats.KINDS["ie"] says what is inferred of it); the regular reports'
independent expenditures are pas2's 24E/24A rows, written as raw `schedule_e` lines at commit
(bulk/independent.py).

How:
- A file is cut into chunks at line ends (`BULK_CHUNK_MB`). Each chunk goes through DuckDB's CSV
  reader (pipe-delimited, no header, no quoting, UTF-8) into a Parquet part in the raw
  contract's shape. A line that is not UTF-8 is read as Windows-1252 (else Latin-1), loaded and
  listed; a transaction line with a blank SUB_ID gets a made-up negative id (parse.made_up_sub_id). Values that must be numbers (SUB_ID, amounts, file numbers) are typed by the
  reader itself, so a line with a wrong field count or a non-number there is a reject with its
  line number. Blank lines and lines missing a required value are found too: every line of a file
  is either loaded or reported (`bulk/<cycle>/malformed.txt`), never silently dropped, never fatal.
- Memory: DuckDB runs with DUCKDB_MEMORY_LIMIT and DUCKDB_THREADS and spills to
  `$DATA_CACHE_DIR/tmp`; a chunk at a time is in flight.
- Resume: after every chunk `bulk/<cycle>/state.json` records how far each file got; a killed load
  started again with the same files carries on from there. Nothing reaches `raw/` until every
  present file is parsed; then, under the build lock, the parts replace the cycle's earlier bulk
  files in `raw/` (an idempotent step: after a crash it is simply done again), and the same builder
  as the demo's and the API's builds and publishes a snapshot. A killed load never publishes half.
- Amendments: the classic files normally carry only the newest version of a report, but when a
  filing and a later amendment (AMNDT_IND 'A', larger FILE_NUM) of the same committee and report
  type share transactions (the same transaction ID on the same date), the older filing's rows are
  dropped: the newest version wins. The date matters: filers restart transaction IDs in every
  report, and last year's Q1 is not an earlier version of this year's.
- Totals: weball/webl have one two-year summary per candidate ID (all its authorized committees
  combined) and no per-report pages; each becomes one `candidate_summaries` row, the candidate's
  published totals as they are (summaries.py). A summary of an ID that cn does not list still names
  its candidate; webl's candidates are those of this cycle's election. The builder splits the
  individual money into itemized (what itcont holds) and unitemized.
- Committees: webk (the PAC and party summary) names each committee with its type, designation and
  filing frequency; those cm does not list become `committees` rows (cm wins), so webk loaded alone
  publishes its committees. A load whose files name no candidate nor committee publishes nothing.
- Bulk plus API: receipts are keyed by SUB_ID, the same `sub_id` the API gives; the builder keeps one
  row per sub_id, and the refresh appends only sub_ids not already stored.
- A file with a header (the independent expenditures: comma-separated, quoted fields that may hold
  commas, quotes and line ends) is read by its header's column names; its records get their line
  number and a made-up negative id (it has no SUB_ID), then go through the same reader, rejects and
  report. A chunk never ends inside a quoted field.
- `--download` fetches the zips (and the bare independent-expenditure file) from FEC_BULK_URL: resumable (`.part` files and HTTP ranges), with
  the SHA-256, size, ETag and Last-Modified of each recorded in `bulk/<cycle>/downloads.json`; a zip
  whose ETag and size are unchanged is not fetched again.

Modules, one job each (callers import from them; this file re-exports nothing):
- formats: the files' column layouts, zip and member names, Kind and KINDS, BulkLoadError
- sources: finding the files or zips in a folder, zip members, cutting a stream into chunks
- parse: a chunk or a whole file into Parquet parts; malformed lines and their report
- amendments: dropping the rows of filings a later amendment replaced
- summaries: weball/webl rows as `candidate_summaries` rows (the FEC's totals per candidate ID), and
  webk's committees as `committees` rows where the committee master cm does not list them
- download: `--download` with resume and checksums
- progress: LoadProgress (bytes, rows, rows/s, time left)
- load: load() from start to publish, the state file, committing to raw/
"""
