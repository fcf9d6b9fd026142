"""Foreign postal codes stay foreign: the builder gives a receipt a ZIP (zip5, and the ZIP part of
its donor key) only for an American address written as a US ZIP code. Real files carry foreign
donors as state 'ZZ' or a blank state with their own postal code (BONN 53177, PARIS 75004), which
would otherwise read as US ZIPs in Wisconsin or New Jersey."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.core import geography
from dashboard.pipeline.builder.publish import build_and_publish

REAL_SET = "fec/2020/bulk-2019-03-19/itcont.txt"

# (state, zip) -> the zip5 the receipts extract must carry
US_CASES = {
    ("WA", "981011234"): "98101",  # ZIP+4 as the FEC writes it
    ("WA", "98101-1234"): "98101",
    ("AE", "09012"): "09012",  # a military post office is a US ZIP
    ("GU", "96910"): "96910",  # so is a territory's
    ("NY", "1001"): None,  # a ZIP that lost its leading zero is no ZIP
    ("NY", "10001ABC"): None,
    ("NY", "100011"): None,  # 6 digits: neither 5 nor 9
    ("NY", None): None,
}
FOREIGN_CASES = {  # each is foreign: no ZIP whatever the digits
    ("ZZ", "53177"),
    ("ZZ", "00000"),
    ("ZZ", "KT207NS"),
    (None, "75004"),
    ("", "75004"),
    ("ON", "12345"),  # a Canadian province's code is not a US state
}


def real_foreign_addresses(shared_data) -> set[tuple[str | None, str | None]]:
    """(state, zip) of the real itemized rows whose state is not American, with a postal code."""
    con = duckdb.connect()
    rows = con.execute(
        "SELECT DISTINCT nullif(column09, ''), column10 FROM read_csv(?, delim = '|', header = false, "
        "all_varchar = true, quote = '', columns = {"
        + ", ".join(f"'column{i:02d}': 'VARCHAR'" for i in range(21))
        + "}) WHERE column10 <> ''",
        [str(shared_data / REAL_SET)],
    ).fetchall()
    return {(state, zip_) for state, zip_ in rows if state not in geography.US_POSTAL_STATES}


@pytest.fixture(scope="module")
def built(demo_builds, tmp_path_factory, shared_data):
    """A demo copy with extra counted receipts at the addresses above, rebuilt by the builder."""
    data_dir = demo_builds.copy(tmp_path_factory.mktemp("postal"))
    real = real_foreign_addresses(shared_data)
    assert ("ZZ", "53177") in real and len(real) >= 10  # BONN, and more: the file is as described
    addresses = sorted(set(US_CASES) | FOREIGN_CASES | real, key=str)
    folder = data_dir / "raw" / "schedule_a" / "cycle=2024"
    con = duckdb.connect()
    template = con.execute(
        f"SELECT * EXCLUDE (cycle) FROM read_parquet('{folder}/demo.parquet', hive_partitioning = true) "
        "WHERE receipt_type = '15' AND memo_code IS NULL AND conduit_committee_id IS NULL LIMIT 1"
    ).fetchdf()
    rows = template.loc[template.index.repeat(len(addresses))].reset_index(drop=True)
    rows["sub_id"] = [9_000_000_000_000 + i for i in range(len(addresses))]
    rows["state"] = [state for state, _ in addresses]
    rows["zip"] = [zip_ for _, zip_ in addresses]
    rows["contributor_name"] = "POSTAL, TEST"
    con.register("rows", rows)
    con.execute(f"COPY rows TO '{folder}/demo-postal.parquet' (FORMAT parquet)")
    build_and_publish(data_dir, source="demo")
    found = con.execute(
        f"SELECT rows.state, rows.zip, r.zip5, r.donor_key FROM read_parquet('{data_dir}/current/receipts/**/*.parquet', "
        "hive_partitioning = true) r JOIN rows USING (sub_id)"
    ).fetchall()
    assert len(found) == len(addresses)  # every row counted: none lost for its address
    return {(state, zip_): (zip5, key) for state, zip_, zip5, key in found}, real


def test_american_addresses_keep_their_zip(built):
    by_address, _ = built
    for address, zip5 in US_CASES.items():
        assert by_address[address][0] == zip5, address
        assert by_address[address][1] == f"POSTAL, TEST|{zip5 or '?'}", address


def test_foreign_postal_codes_are_no_us_zip(built):
    by_address, real = built
    for address in FOREIGN_CASES | real:
        assert by_address[address] == (None, "POSTAL, TEST|?"), address
