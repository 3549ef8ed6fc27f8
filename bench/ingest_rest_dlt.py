"""dlt's side of the REST bench: the fake DummyJSON API's products into a DuckDB file with dlt's
rest_api source (offset paginator on limit/skip/total, merged on id as Storehouse's preset does).

    python ingest_rest_dlt.py BASE_URL DUCKDB_PATH
"""
import sys

import dlt
from dlt.sources.rest_api import rest_api_source

base, path = sys.argv[1:3]
source = rest_api_source({
    "client": {"base_url": base},
    "resource_defaults": {"primary_key": "id", "write_disposition": "merge"},
    "resources": [{
        "name": "dummyjson_products",
        "endpoint": {
            "path": "products",
            "data_selector": "products",
            "paginator": {"type": "offset", "limit": 100, "offset_param": "skip", "limit_param": "limit", "total_path": "total"},
        },
    }],
})
pipeline = dlt.pipeline(pipeline_name="bench_rest", destination=dlt.destinations.duckdb(path), dataset_name="raw",
                        pipelines_dir=path + ".pipelines")
info = pipeline.run(source)
info.raise_on_failed_jobs()
print(info)
