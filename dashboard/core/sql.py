"""SQL text the code writes itself (never from input: values from users are always bound)."""

from __future__ import annotations


def quote_literal(text) -> str:
    """A SQL string literal, for paths and names we chose ourselves: DuckDB cannot bind a
    parameter where a view's file list or a COPY target goes."""
    return "'" + str(text).replace("'", "''") + "'"


def literal_list(values) -> str:
    """`'a', 'b'` for an IN list of values we chose ourselves (vocabularies, not input)."""
    return ", ".join(quote_literal(value) for value in values)
