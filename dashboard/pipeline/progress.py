"""Progress of long command-line work (refresh, bulk loads).

On a terminal a bar is redrawn in place; anywhere else (logs, cron) a timestamped line is printed
for every tenth of the way, at least every `every_seconds`, and at the end, so logs stay readable.
"""

from __future__ import annotations

import sys
import time


class Progress:
    WIDTH = 24

    def __init__(self, out=None, every_seconds: float = 10.0):
        self.out = out or sys.stdout
        self.tty = hasattr(self.out, "isatty") and self.out.isatty()
        self.every = every_seconds
        self._last_line = 0.0
        self._last_tenth = -1
        self._open = False

    def line(self, message: str) -> None:
        if self._open:  # end the bar being redrawn before writing under it
            print(file=self.out)
            self._open = False
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=self.out, flush=True)

    def start_bar(self) -> None:
        self._last_tenth = -1

    def bar(self, label: str, done: int, total: int, detail: str = "") -> None:
        """Progress counted in steps: `done` of `total`."""
        self.show(label, done / max(total, 1), f"{done}/{total} {detail}".rstrip(), final=done >= total)

    def show(self, label: str, share: float, detail: str, final: bool = False) -> None:
        share = min(max(share, 0.0), 1.0)
        filled = int(self.WIDTH * share)
        text = f"{label:<24} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:6.1%} {detail}"
        if self.tty and not final:
            print("\r" + text.ljust(110), end="", file=self.out, flush=True)
            self._open = True
            return
        now, tenth = time.monotonic(), int(share * 10)
        if final or tenth > self._last_tenth or now - self._last_line >= self.every:
            self._last_tenth, self._last_line = tenth, now
            self.line(text)
