"""The read side: what gunicorn workers run. DuckDB over the current snapshot, queries, figures,
page components, the API and exports. Never imports the pipeline."""
