"""Pure functions DataFrame -> plotly figure, sharing one theme. Nothing here imports Dash.

Small charts are `go.Figure`s; big ones (maps, many traces) should be built as plain dicts,
which serialize about 30x faster (see the stack notes).
"""
