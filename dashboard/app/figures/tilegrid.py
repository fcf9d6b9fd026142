"""A tile-grid layout of the House: every district one equal square, each state a block of
as many squares as it has seats, the blocks placed where the states are.

Built here, not copied from any published hex map. How:
1. Each state starts at its approximate geographic centre (Alaska, Hawaii and Puerto Rico moved
   to insets, as on printed maps), projected to tile units.
2. Circles as big as each state's block are pushed apart until none overlap while each is
   pulled back towards its centre (a Dorling cartogram), so big delegations get room.
3. Biggest delegations first, each state grows from the free square nearest its centre, always
   claiming the free neighbouring square nearest that centre: compact, contiguous blocks.
4. Inside a block, districts go north to south and west to east by their centroids when the
   boundaries are available, else in order of their numbers.
The result depends on nothing but the seat counts, so the same layout is drawn every time.
"""
from __future__ import annotations

import heapq
import math
from functools import lru_cache

import numpy as np

from dashboard.core import geography

# Approximate centres (lon, lat); AK, HI and PR sit in insets below the lower 48.
STATE_CENTRES: dict[str, tuple[float, float]] = {
    "AL": (-86.8, 32.8), "AK": (-121.0, 26.5), "AZ": (-111.7, 34.3), "AR": (-92.4, 34.9),
    "CA": (-119.5, 37.2), "CO": (-105.5, 39.0), "CT": (-72.7, 41.6), "DE": (-75.5, 39.0),
    "DC": (-77.0, 38.9), "FL": (-81.7, 28.6), "GA": (-83.4, 32.7), "HI": (-111.0, 25.5),
    "ID": (-114.6, 44.4), "IL": (-89.2, 40.0), "IN": (-86.3, 39.9), "IA": (-93.5, 42.1),
    "KS": (-98.4, 38.5), "KY": (-85.3, 37.5), "LA": (-92.0, 31.0), "ME": (-69.2, 45.4),
    "MD": (-76.8, 39.0), "MA": (-71.8, 42.3), "MI": (-84.7, 43.7), "MN": (-94.3, 46.3),
    "MS": (-89.7, 32.7), "MO": (-92.5, 38.4), "MT": (-109.6, 47.0), "NE": (-99.8, 41.5),
    "NV": (-116.6, 39.3), "NH": (-71.6, 43.7), "NJ": (-74.7, 40.2), "NM": (-106.1, 34.4),
    "NY": (-75.5, 42.9), "NC": (-79.4, 35.5), "ND": (-100.5, 47.4), "OH": (-82.8, 40.3),
    "OK": (-97.5, 35.6), "OR": (-120.5, 43.9), "PA": (-77.8, 40.9), "RI": (-71.5, 41.7),
    "SC": (-80.9, 33.9), "SD": (-100.2, 44.4), "TN": (-86.3, 35.8), "TX": (-99.3, 31.5),
    "UT": (-111.7, 39.3), "VT": (-72.7, 44.0), "VA": (-78.8, 37.5), "WA": (-120.4, 47.4),
    "WV": (-80.6, 38.6), "WI": (-89.8, 44.6), "WY": (-107.5, 43.0), "PR": (-70.0, 26.5),
}
TILES_PER_DEGREE = 0.95
ROOM = 1.12  # circle area per seat, in squares: a little slack so blocks rarely collide


def seats(state: str) -> int:
    return max(geography.STATES[state][2], 1)


def _projected() -> tuple[list[str], np.ndarray]:
    states = sorted(STATE_CENTRES)
    lon = np.array([STATE_CENTRES[s][0] for s in states])
    lat = np.array([STATE_CENTRES[s][1] for s in states])
    x = (lon + 96.0) * math.cos(math.radians(38.0)) * TILES_PER_DEGREE
    y = (lat - 38.0) * TILES_PER_DEGREE
    return states, np.column_stack([x, y])


def _spread(centres: np.ndarray, radii: np.ndarray, steps: int = 400) -> np.ndarray:
    """Dorling: push overlapping circles apart, pull each gently back to where it belongs."""
    position = centres.copy()
    for _ in range(steps):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.sqrt((delta ** 2).sum(-1)) + np.eye(len(position))
        overlap = np.clip(radii[:, None] + radii[None, :] - distance, 0, None)
        np.fill_diagonal(overlap, 0)
        if overlap.max() < 0.05:
            break
        weight = radii[None, :] / (radii[:, None] + radii[None, :])  # small circles move more
        push = (delta / distance[..., None] * (overlap * weight)[..., None] * 0.5).sum(1)
        position += push + (centres - position) * 0.02
    return position


@lru_cache(maxsize=1)
def state_blocks() -> dict[str, tuple[tuple[int, int], ...]]:
    """State -> its squares (x, y), y growing northwards; as many squares as seats (DC and PR
    one each)."""
    states, centres = _projected()
    radii = np.array([math.sqrt(seats(s) * ROOM / math.pi) for s in states])
    seeds = dict(zip(states, _spread(centres, radii)))
    taken: dict[tuple[int, int], str] = {}
    blocks: dict[str, tuple[tuple[int, int], ...]] = {}
    for state in sorted(states, key=lambda s: (-seats(s), s)):
        sx, sy = seeds[state]

        def distance(cell, sx=sx, sy=sy):
            return (cell[0] - sx) ** 2 + (cell[1] - sy) ** 2

        block: list[tuple[int, int]] = []
        frontier: list[tuple[float, tuple[int, int]]] = []
        while len(block) < seats(state):
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
        ring = [(cx + dx, cy + dy) for dx in range(-radius, radius + 1) for dy in range(-radius, radius + 1)
                if max(abs(dx), abs(dy)) == radius and (cx + dx, cy + dy) not in taken]
        if ring:
            return min(ring, key=lambda c: ((c[0] - point[0]) ** 2 + (c[1] - point[1]) ** 2, c[1], c[0]))
    raise RuntimeError("no free square near the state's centre")


def district_tiles(centroids: dict[str, tuple[float, float]] | None = None,
                   geoid_of=None) -> dict[tuple[str, str], tuple[int, int]]:
    """(state, FEC district) -> its square. `centroids` (geoid -> lon, lat) and `geoid_of`
    ((state, district) -> geoid) arrange districts geographically inside their state's block;
    without them districts follow their numbers, north-west to south-east."""
    tiles = {}
    by_state: dict[str, list[str]] = {}
    for state, district in geography.house_districts():
        by_state.setdefault(state, []).append(district)
    for state, cells in state_blocks().items():
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
        row = sorted(north_first[start:start + size], key=lambda dp: dp[1][0])
        ordered.extend(d for d, _p in row)
        start += size
    return ordered


def state_tiles() -> dict[str, tuple[int, int]]:
    """One square per state (for the Senate view): the state's block reduced to its middle
    square, which keeps the arrangement of the House grid."""
    tiles = {}
    for state, cells in state_blocks().items():
        mx = sum(c[0] for c in cells) / len(cells)
        my = sum(c[1] for c in cells) / len(cells)
        tiles[state] = min(cells, key=lambda c: ((c[0] - mx) ** 2 + (c[1] - my) ** 2, c))
    return tiles


def block_outlines(tiles: dict[tuple[str, str], tuple[int, int]]) -> tuple[list, list]:
    """x and y of line segments (None-separated) along every edge between squares of different
    states or a square and empty space: the states' outlines on the grid."""
    owner = {cell: state for (state, _d), cell in tiles.items()}
    xs: list = []
    ys: list = []
    for (x, y), state in owner.items():
        for dx, dy, edge in ((1, 0, ((0.5, -0.5), (0.5, 0.5))), (-1, 0, ((-0.5, -0.5), (-0.5, 0.5))),
                             (0, 1, ((-0.5, 0.5), (0.5, 0.5))), (0, -1, ((-0.5, -0.5), (0.5, -0.5)))):
            if owner.get((x + dx, y + dy)) != state:
                (ax, ay), (bx, by) = edge
                xs += [x + ax, x + bx, None]
                ys += [y + ay, y + by, None]
    return xs, ys
