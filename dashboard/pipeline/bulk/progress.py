"""Progress of one bulk file being parsed or downloaded."""

from __future__ import annotations

from dashboard.pipeline.progress import Progress


class LoadProgress(Progress):
    """Progress of one file: bytes, rows, rows/s and time left."""

    def file(
        self, label: str, done_bytes: int, total_bytes: int, rows: int | None, rows_per_s: float, final: bool = False
    ) -> None:
        """rows None: a download (bytes only; rows_per_s is then bytes per second)."""
        share = done_bytes / total_bytes if total_bytes else 1.0
        left = ""
        if 0 < share < 1 and rows_per_s > 0:
            bytes_per_row = 1.0 if rows is None else max(done_bytes / max(rows, 1), 1.0)
            left = f", about {_duration((total_bytes - done_bytes) / bytes_per_row / rows_per_s)} left"
        speed = f"{rows_per_s / 1e6:,.1f} MB/s" if rows is None else f"{rows:,} rows, {rows_per_s:,.0f} rows/s"
        self.show(label, share, f"{done_bytes / 1e9:,.2f}/{total_bytes / 1e9:,.2f} GB {speed}{left}", final=final)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
