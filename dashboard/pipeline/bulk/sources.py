"""Finding a cycle's bulk files in a folder (text files or the FEC's zips, streamed from the zip's
top-level member) and cutting a stream into chunks at line ends."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.pipeline.bulk.formats import KINDS, BulkLoadError, Kind, member_name, zip_name

# `--summaries`: the masters and the summary files, a few MB in all, enough for candidates, races,
# totals and the district map; the itemized files (indiv, pas2) are gigabytes.
SUMMARY_KINDS = ("cn", "cm", "ccl", "weball", "webl", "webk")


@dataclass
class Source:
    """Where one kind's text comes from: a text file, or a member of a zip."""

    kind: Kind
    path: Path
    member: str | None = None  # set when path is a zip

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    def size(self) -> int:
        if self.member:
            with zipfile.ZipFile(self.path) as zf:
                return zf.getinfo(self.member).file_size
        return self.path.stat().st_size

    def identity(self) -> dict:
        stat = self.path.stat()
        return {"path": str(self.path), "member": self.member, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def open(self):
        if self.member:
            return zipfile.ZipFile(self.path).open(self.member)
        return open(self.path, "rb")


def text_names(kind: Kind, cycle: int) -> tuple[str, ...]:
    """The names a kind's text file goes by: the zip member's (`cn.txt`, `itcont.txt`,
    `weball24.txt`), the kind with the cycle's two or four digits (`cn24.txt`, `weball2024.txt`), the
    bare kind (`weball.txt`) and the zip's stem (`indiv24.txt`, `pas224.txt`); a file with a header by
    its published name (`independent_expenditure_2024.csv`) or without the cycle."""
    yy = f"{cycle % 100:02d}"
    if kind.csv_header:  # independent_expenditure_2024.csv, or without the cycle
        return tuple(dict.fromkeys((member_name(kind, cycle), kind.member.replace("_{cycle}", ""))))
    names = (
        member_name(kind, cycle),
        f"{kind.name}{yy}.txt",
        f"{kind.name}{cycle}.txt",
        f"{kind.name}.txt",
        f"{kind.zip_prefix}{yy}.txt",
    )
    return tuple(dict.fromkeys(names))


def looked_for(kind: Kind, cycle: int) -> tuple[str, ...]:
    """Every name a kind is looked for by (case does not matter), the zip last."""
    return (*text_names(kind, cycle), zip_name(kind, cycle))


def find_sources(folder: Path, cycle: int, kinds=None) -> tuple[dict[str, Source], list[str]]:
    """The files present for each kind (of `kinds`, names; default all; a text file wins over its
    zip) and the kinds missing (`looked_for` gives the names each was looked for by)."""
    by_lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    found, missing = {}, []
    for kind in (KINDS[name] for name in kinds or KINDS):
        text = next((by_lower[n.lower()] for n in text_names(kind, cycle) if n.lower() in by_lower), None)
        if text is not None:
            found[kind.name] = Source(kind, text)
            continue
        archive = by_lower.get(zip_name(kind, cycle).lower())
        if archive is not None:
            found[kind.name] = Source(kind, archive, _zip_member(archive, kind, cycle))
            continue
        missing.append(kind.name)
    return found, missing


def _zip_member(archive: Path, kind: Kind, cycle: int) -> str:
    """The top-level text file of a bulk zip; never the by_date/ slices that repeat every row."""
    try:
        with zipfile.ZipFile(archive) as zf:
            top = [
                i.filename
                for i in zf.infolist()
                if not i.is_dir() and "/" not in i.filename and i.filename.lower().endswith((".txt", ".csv"))
            ]
    except zipfile.BadZipFile:
        raise BulkLoadError(f"{archive} is not a readable zip (a broken download?); delete it and fetch it again")
    wanted = [n.lower() for n in text_names(kind, cycle)]
    exact = sorted((n for n in top if n.lower() in wanted), key=lambda n: wanted.index(n.lower()))
    if exact:
        return exact[0]
    if len(top) == 1:
        return top[0]
    raise BulkLoadError(
        f"{archive.name} should hold one top-level text file (one of {', '.join(text_names(kind, cycle))}); "
        f"it holds {top or 'none'}"
    )


# How far back a cut of a quoted file looks for a line end outside quotes before taking the last one.
QUOTED_CUT_LOOKBACK = 1 << 20


def iter_chunks(stream, chunk_bytes: int, skip_bytes: int = 0, quoted: bool = False):
    """(byte offset, bytes) pieces of a stream, each ending at a line end (the last may not). With
    `quoted` (a CSV whose quoted fields may hold line ends) a piece ends at a line end outside quotes
    where one is near (balanced_cut)."""
    if skip_bytes:
        if hasattr(stream, "seekable") and stream.seekable() and not isinstance(stream, zipfile.ZipExtFile):
            stream.seek(skip_bytes)
        else:  # a zip stream cannot seek cheaply: read past what is done
            left = skip_bytes
            while left:
                got = stream.read(min(left, 64 << 20))
                if not got:
                    break
                left -= len(got)
    offset = skip_bytes
    carry = b""
    while True:
        block = stream.read(chunk_bytes)
        if not block:
            if carry:
                yield offset, carry
            return
        block = carry + block
        cut = block.rfind(b"\n")
        if quoted and cut >= 0:
            cut = balanced_cut(block, cut)
        if cut < 0:
            carry = block
            continue
        piece, carry = block[: cut + 1], block[cut + 1 :]
        yield offset, piece
        offset += len(piece)


def balanced_cut(block: bytes, cut: int) -> int:
    """The last line end at or before `cut` with an even number of double quotes before it (outside any
    quoted field, since a doubled "" inside one counts twice); -1 (read on) when the block has none and
    is short; `cut` itself when none is within QUOTED_CUT_LOOKBACK bytes (a stray quote then does not
    make the whole file one piece)."""
    odd = block.count(b'"', 0, cut) % 2
    at = cut
    while odd:
        before = block.rfind(b"\n", 0, at)
        if before < 0 and cut <= QUOTED_CUT_LOOKBACK:
            return -1
        if before < 0 or cut - before > QUOTED_CUT_LOOKBACK:
            return cut
        odd ^= block.count(b'"', before, at) % 2
        at = before
    return at
