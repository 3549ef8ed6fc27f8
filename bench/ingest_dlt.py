"""dlt's side of the PostgreSQL-source bench: every table of a schema copied into a DuckDB file by
dlt's sql_database source, with the backend named (`sqlalchemy`, dlt's default, or `pyarrow`).

    python ingest_dlt.py POSTGRES_URL SCHEMA DUCKDB_PATH BACKEND
"""
import sys

import dlt
from dlt.sources.sql_database import sql_database

url, schema, path, backend = sys.argv[1:5]
pipeline = dlt.pipeline(pipeline_name=f"bench_{backend}", destination=dlt.destinations.duckdb(path), dataset_name="raw",
                        pipelines_dir=path + ".pipelines")
source = sql_database(credentials=url, schema=schema, backend=backend, chunk_size=10_000)
info = pipeline.run(source, write_disposition="replace")
info.raise_on_failed_jobs()
print(info)
