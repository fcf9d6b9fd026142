"""Query parameters read with the real API's validation rules and its 422 error bodies."""

from __future__ import annotations

from datetime import date

from dashboard.core import fec
from devtools.fake_openfec.errors import ApiError, message


def invalid(name: str, text: str) -> ApiError:
    """The API's field-level 422 body (marshmallow's shape), unlike `message`'s plain one."""
    return ApiError(422, {"message": {"query": {name: [text]}}, "status": 422})


class Args:
    """Query parameters with the API's validation rules."""

    def __init__(self, query: dict[str, list[str]]):
        self.q = query

    def list(self, name: str, cap: int | None = None, upper: bool = False) -> list[str]:
        values = [v for v in self.q.get(name, []) if v != ""]
        if cap and len(values) > cap:
            raise message(422, f"Cannot specify more than {cap} values for {name}")
        return [v.upper() for v in values] if upper else values

    def one(self, name: str) -> str | None:
        values = self.list(name)
        return values[-1] if values else None

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.one(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise invalid(name, "Not a valid integer.")

    def ints(self, name: str) -> list[int]:
        out = []
        for value in self.list(name):
            try:
                out.append(int(value))
            except ValueError:
                raise invalid(name, "Not a valid integer.")
        return out

    def bool(self, name: str, default: bool | None = None) -> bool | None:
        value = self.one(name)
        if value is None:
            return default
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
        raise invalid(name, "Not a valid boolean.")

    def bools(self, name: str) -> list[bool]:
        """A boolean filter that takes several values (`is_notice=true&is_notice=false`)."""
        return [Args({name: [value]}).bool(name) for value in self.list(name)]

    def date(self, name: str) -> date | None:
        value = self.one(name)
        if value is None:
            return None
        for parse in (date.fromisoformat, lambda v: date(int(v[6:10]), int(v[0:2]), int(v[3:5]))):
            try:
                if parse is date.fromisoformat and len(value) != 10:
                    continue
                return parse(value)
            except (ValueError, IndexError):
                continue
        raise invalid(name, "Invalid date.")

    def per_page(self, capped: bool = True) -> int:
        per_page = self.int("per_page", 20)
        if per_page <= 0:
            raise invalid("per_page", "Must be greater than zero.")
        if capped and per_page > 100:
            raise message(422, "Parameter 'per_page' must be between 1 and 100")
        return per_page

    def page(self) -> int:
        page = self.int("page", 1)
        if page < 1:
            raise invalid("page", "Must be greater than zero.")
        return page

    def offices(self) -> list[str]:
        """`office` as a one-letter code (/candidates/ and /candidates/totals/)."""
        offices = self.list("office")
        for office in offices:
            if office not in fec.OFFICES:
                raise invalid("office", "Must be one of: H, S, P.")
        return offices

    def committee_ids(self, cap: int | None = None) -> list[str]:
        ids = self.list("committee_id", cap, upper=True)
        for cid in ids:
            check_committee_id(cid)
        return ids

    def candidate_ids(self) -> list[str]:
        ids = self.list("candidate_id", upper=True)
        for cid in ids:
            check_candidate_id(cid)
        return ids

    def districts(self) -> list[str]:
        out = []
        for value in self.list("district"):
            if not value.isdigit():
                raise message(422, "District must be a number")
            out.append(f"{int(value):02d}")
        return out


def check_committee_id(cid: str):
    if len(cid) != 9 or cid[0] != "C" or not cid[1:].isdigit():
        raise message(422, f"Invalid committee_id {cid!r}: must be C followed by 8 digits")


def check_candidate_id(cid: str):
    if len(cid) != 9 or cid[0] not in "HSP":
        raise message(422, f"Invalid candidate_id {cid!r}: must be 9 characters starting with H, S or P")
