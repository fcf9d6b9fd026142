"""Tile-grid layouts: the Senate's (one square per state) is the state tile grid of
`geography.STATE_TILES`, the one every state tile map draws; the House's gives every district one
equal square, each state a block of as many squares as it has seats, arranged like that grid.

How the House blocks are laid out:
1. Each state starts at its square of the state tile grid, scaled up to district squares.
2. Circles as big as each state's block are pushed apart until none overlap while each is
   pulled back towards its start (a Dorling cartogram), so big delegations get room.
3. Biggest delegations first, each state grows from the free square nearest its centre, always
   claiming the free neighbouring square nearest that centre: compact, contiguous blocks.
4. Inside a block, districts go north to south and west to east by their centroids when the
   boundaries are available, else in order of their numbers.
The result depends on nothing but the state grid and the seat counts, so the same layout is
drawn every time.
"""

from __future__ import annotations

import heapq
import math
from functools import lru_cache

import numpy as np

from dashboard.core import geography

# District squares per step of the state tile grid: the blocks of the biggest delegations
# (CA 52, TX 38) fit between their neighbours with little empty space left over.
SQUARES_PER_TILE = 3.2
ROOM = 1.12  # circle area per seat, in squares: a little slack so blocks rarely collide


def seats(state: str, counts: dict[str, int] | None = None) -> int:
    """A state's squares: its seats in `counts` (state -> seats), else after the 2020 apportionment."""
    return max((counts if counts is not None else geography.house_seats()).get(state, 0), 1)


def _starts() -> tuple[list[str], np.ndarray]:
    """Each state's square of the state tile grid, in district squares."""
    tiles = state_tiles()
    states = sorted(tiles)
    return states, np.array([tiles[s] for s in states], dtype=float) * SQUARES_PER_TILE


def _spread(centres: np.ndarray, radii: np.ndarray, steps: int = 400) -> np.ndarray:
    """Dorling: push overlapping circles apart, pull each gently back to where it belongs."""
    position = centres.copy()
    for _ in range(steps):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.sqrt((delta**2).sum(-1)) + np.eye(len(position))
        overlap = np.clip(radii[:, None] + radii[None, :] - distance, 0, None)
        np.fill_diagonal(overlap, 0)
        if overlap.max() < 0.05:
            break
        weight = radii[None, :] / (radii[:, None] + radii[None, :])  # small circles move more
        push = (delta / distance[..., None] * (overlap * weight)[..., None] * 0.5).sum(1)
        position += push + (centres - position) * 0.02
    return position


def state_blocks(counts: dict[str, int] | None = None) -> dict[str, tuple[tuple[int, int], ...]]:
    """State -> its squares (x, y), y growing northwards; as many squares as seats in `counts`
    (state -> seats; the 2020 apportionment's without), DC and PR one each."""
    return _blocks(tuple(sorted((counts if counts is not None else geography.house_seats()).items())))


@lru_cache(maxsize=4)  # one layout per apportionment drawn
def _blocks(counts_items: tuple[tuple[str, int], ...]) -> dict[str, tuple[tuple[int, int], ...]]:
    counts = dict(counts_items)
    states, centres = _starts()
    radii = np.array([math.sqrt(seats(s, counts) * ROOM / math.pi) for s in states])
    seeds = dict(zip(states, _spread(centres, radii)))
    taken: dict[tuple[int, int], str] = {}
    blocks: dict[str, tuple[tuple[int, int], ...]] = {}
    for state in sorted(states, key=lambda s: (-seats(s, counts), s)):
        sx, sy = seeds[state]

        def distance(cell, sx=sx, sy=sy):
            return (cell[0] - sx) ** 2 + (cell[1] - sy) ** 2

        block: list[tuple[int, int]] = []
        frontier: list[tuple[float, tuple[int, int]]] = []
        while len(block) < seats(state, counts):
            while frontier and frontier[0][1] in taken:
                heapq.heappop(frontier)
            cell = heapq.heappop(frontier)[1] if frontier else _nearest_free((sx, sy), taken)
            taken[cell] = state
            block.append(cell)
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                neighbour = (cell[0] + dx, cell[1] + dy)
                if neighbour not in taken:
                    heapq.heappush(frontier, (distance(neighbour), neighbour))
        blocks[state] = tuple(sorted(block, key=lambda c: (-c[1], c[0])))
    return {s: blocks[s] for s in states}


def _nearest_free(point: tuple[float, float], taken: dict) -> tuple[int, int]:
    cx, cy = round(point[0]), round(point[1])
    for radius in range(0, 200):
        ring = [
            (cx + dx, cy + dy)
            for dx in range(-radius, radius + 1)
            for dy in range(-radius, radius + 1)
            if max(abs(dx), abs(dy)) == radius and (cx + dx, cy + dy) not in taken
        ]
        if ring:
            return min(ring, key=lambda c: ((c[0] - point[0]) ** 2 + (c[1] - point[1]) ** 2, c[1], c[0]))
    raise RuntimeError("no free square near the state's centre")


def district_tiles(
    centroids: dict[str, tuple[float, float]] | None = None,
    geoid_of=None,
    seat_list: list[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], tuple[int, int]]:
    """(state, FEC district) -> its square, for every seat of `seat_list` (those of the 2020
    apportionment without). `centroids` (geoid -> lon, lat) and `geoid_of` ((state, district) ->
    geoid) arrange districts geographically inside their state's block; without them districts
    follow their numbers, north-west to south-east."""
    tiles = {}
    by_state: dict[str, list[str]] = {}
    for state, district in seat_list if seat_list is not None else geography.house_districts():
        by_state.setdefault(state, []).append(district)
    for state, cells in state_blocks({s: len(d) for s, d in by_state.items()}).items():
        districts = sorted(by_state.get(state, []))
        if centroids and geoid_of and all(geoid_of(state, d) in centroids for d in districts):
            districts = _geographic_order(districts, cells, [centroids[geoid_of(state, d)] for d in districts])
        for district, cell in zip(districts, cells):
            tiles[(state, district)] = cell
    return tiles


def _geographic_order(districts: list[str], cells, points) -> list[str]:
    """Districts reordered to match `cells` (north to south, then west to east): split into
    the block's rows by latitude, then order each row by longitude."""
    row_sizes: list[int] = []
    for i, cell in enumerate(cells):
        if i and cell[1] == cells[i - 1][1]:
            row_sizes[-1] += 1
        else:
            row_sizes.append(1)
    north_first = sorted(zip(districts, points), key=lambda dp: (-dp[1][1], dp[1][0]))
    ordered, start = [], 0
    for size in row_sizes:
        row = sorted(north_first[start : start + size], key=lambda dp: dp[1][0])
        ordered.extend(d for d, _p in row)
        start += size
    return ordered


def state_tiles() -> dict[str, tuple[int, int]]:
    """One square per state (for the Senate view): the state tile grid, as (x, y) with y
    growing northwards."""
    return {state: (column, -row) for state, (row, column) in geography.STATE_TILES.items()}


def block_outlines(tiles: dict[tuple[str, str], tuple[int, int]]) -> tuple[list, list]:
    """x and y of line segments (None-separated) along every edge between squares of different
    states or a square and empty space: the states' outlines on the grid."""
    owner = {cell: state for (state, _d), cell in tiles.items()}
    xs: list = []
    ys: list = []
    for (x, y), state in owner.items():
        for dx, dy, edge in (
            (1, 0, ((0.5, -0.5), (0.5, 0.5))),
            (-1, 0, ((-0.5, -0.5), (-0.5, 0.5))),
            (0, 1, ((-0.5, 0.5), (0.5, 0.5))),
            (0, -1, ((-0.5, -0.5), (0.5, -0.5))),
        ):
            if owner.get((x + dx, y + dy)) != state:
                (ax, ay), (bx, by) = edge
                xs += [x + ax, x + bx, None]
                ys += [y + ay, y + by, None]
    return xs, ys
