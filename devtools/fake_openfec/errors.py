"""The fake's error answers: one exception carrying the status, body and content type to send."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, body, content_type: str = "application/json"):
        super().__init__(status)
        self.status, self.body, self.content_type = status, body, content_type


def message(status: int, text) -> ApiError:
    """The API's usual error body: `{"message": ..., "status": ...}`."""
    return ApiError(status, {"message": text, "status": status})


def not_found() -> ApiError:
    """An unknown path: the real gateway answers with an HTML page, not JSON."""
    return ApiError(404, "<html><body>404 Not Found</body></html>", "text/html")
