"""Shared facts about states and seats: Census GEOIDs of FEC districts, the state tile grid."""

from __future__ import annotations

from dashboard.core import geography


def test_fec_districts_map_to_census_geoids():
    assert geography.geoid("CA", "12") == "0612"
    assert geography.geoid("AK", "00") == "0200"  # at-large: '00' in both
    assert geography.geoid("DC", "00") == "1198" and geography.geoid("PR", "00") == "7298"  # delegates


def test_the_state_tile_grid_places_every_state_on_its_own_square():
    assert set(geography.STATE_TILES) == set(geography.STATES)
    assert len(set(geography.STATE_TILES.values())) == len(geography.STATES)
