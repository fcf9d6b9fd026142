"""The only SQL the pages run: pure functions (validated params) -> pandas DataFrame.

Each module answers the questions of one subject. Every value from a user reaches DuckDB as a
bound `?` parameter, never inside the SQL text. Nothing here imports Dash.
"""
