"""Donors by the words of their names, from the search index's `donor_name_tokens` (every word of every
name a donor filed under, folded as typed names are, sorted): a typed word matches the tokens it begins,
which sort between the word and the word followed by a character after every letter and digit."""

from __future__ import annotations

from dashboard.app import db

_AFTER_TOKEN_CHARACTERS = "\x7f"  # tokens are upper-case letters and digits, all sorted before this
_ONE_WORD = "SELECT donor_key FROM donor_name_tokens WHERE token >= ? AND token < ?"


def _ranges(words: list[str]) -> list[str]:
    return [value for word in words for value in (word, word + _AFTER_TOKEN_CHARACTERS)]


def donors_with_words(words: list[str]) -> tuple[str, list]:
    """A subquery of the donor_keys whose names have a word beginning with each of `words` (folded,
    core.normalize.fold_name), with its `?` values."""
    return " INTERSECT ".join(_ONE_WORD for _ in words), _ranges(words)


def donors_per_word(words: list[str]) -> list[int]:
    """How many donors each of `words` matches on its own (the rarest bounds how many match them all)."""
    counts = db.query(
        " UNION ALL ".join(f"SELECT {i} AS word, count(*) AS n FROM ({_ONE_WORD})" for i, _ in enumerate(words))
        + " ORDER BY word",
        _ranges(words),
    )
    return [int(n) for n in counts["n"]]
