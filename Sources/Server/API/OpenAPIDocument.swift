/// The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. Kept by hand next
/// to the routes; ServerAPITests checks that every route the router has is described here and
/// scripts/api-check validates it and runs schemathesis against a live server.
enum OpenAPIDocument {
    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Storehouse API",
        "version": "1.0.0",
        "description": "The semantic layer, dashboards, models, builds, read-only SQL, the runs and jobs, and the docs search and lineage graph of a Storehouse project. Bound beyond localhost, every route but /healthz needs `Authorization: Bearer <token>`. Errors are JSON: {\"error\": {\"code\", \"message\", \"hint\", \"status\"}}."
      },
      "servers": [{"url": "/"}],
      "security": [{"bearer": []}],
      "paths": {
        "/healthz": {
          "get": {
            "operationId": "health", "summary": "Liveness: the process answers.", "security": [],
            "responses": {"200": {"description": "Alive", "content": {"text/plain": {"schema": {"type": "string"}}}}}
          }
        },
        "/readyz": {
          "get": {
            "operationId": "ready", "summary": "Readiness: the warehouse answers; the last build's status.",
            "responses": {
              "200": {"description": "Ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/metrics": {
          "get": {
            "operationId": "prometheusMetrics", "summary": "Prometheus metrics: requests and latency per route, cache hits, query time, build status.",
            "responses": {
              "200": {"description": "Prometheus text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/metrics": {
          "get": {
            "operationId": "listMetrics", "summary": "The semantic layer's metrics and saved queries.",
            "responses": {
              "200": {"description": "Metrics", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MetricList"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/metrics/{name}": {
          "get": {
            "operationId": "getMetric", "summary": "One metric with the dimensions it can be grouped by.",
            "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "The metric", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Metric"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/dimensions": {
          "get": {
            "operationId": "listDimensions", "summary": "The dimensions every named metric can be grouped by (mf list dimensions).",
            "parameters": [{"name": "metrics", "in": "query", "required": true, "description": "Comma-separated metric names", "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "Dimensions", "content": {"application/json": {"schema": {
                "type": "object", "required": ["dimensions"],
                "properties": {"dimensions": {"type": "array", "items": {"$ref": "#/components/schemas/Dimension"}}}}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/metrics/query": {
          "get": {
            "operationId": "queryMetricsGet", "summary": "Query metrics grouped by dimensions: the fields of `storehouse metrics query` (mf query).",
            "parameters": [
              {"name": "metrics", "in": "query", "description": "Comma-separated metric names", "schema": {"type": "string"}},
              {"name": "group_by", "in": "query", "description": "Comma-separated dimensions, e.g. metric_time__month,customer__customer_segment", "schema": {"type": "string"}},
              {"name": "where", "in": "query", "description": "A filter such as {{ Dimension('customer__customer_segment') }} = 'VIP' (repeatable)", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": true},
              {"name": "order_by", "in": "query", "description": "Comma-separated; a leading - sorts descending", "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0}},
              {"name": "start_time", "in": "query", "schema": {"type": "string"}},
              {"name": "end_time", "in": "query", "schema": {"type": "string"}},
              {"name": "saved_query", "in": "query", "schema": {"type": "string"}},
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}
            ],
            "responses": {
              "200": {"description": "Rows", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/MetricsResult"}},
                "text/csv": {"schema": {"type": "string"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          },
          "post": {
            "operationId": "queryMetrics", "summary": "Query metrics with a JSON body (the same fields).",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MetricsRequest"}}}},
            "responses": {
              "200": {"description": "Rows", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/MetricsResult"}},
                "text/csv": {"schema": {"type": "string"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/dashboards": {
          "get": {
            "operationId": "listDashboards", "summary": "The project's dashboards.",
            "responses": {
              "200": {"description": "Dashboards", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DashboardList"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/dashboards/{name}": {
          "get": {
            "operationId": "getDashboard", "summary": "One dashboard's tiles with their data for a filter state (the page's URL parameters).",
            "parameters": [
              {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
              {"name": "start", "in": "query", "schema": {"type": "string", "format": "date"}},
              {"name": "end", "in": "query", "schema": {"type": "string", "format": "date"}},
              {"name": "grain", "in": "query", "schema": {"type": "string", "enum": ["day", "week", "month", "quarter", "year"]}}
            ],
            "responses": {
              "200": {"description": "Tiles and data", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DashboardData"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers": {
          "get": {
            "operationId": "searchCustomers", "summary": "Customers whose email, first, last or full name starts with q (case-insensitive), most valuable first, paged.",
            "parameters": [
              {"name": "q", "in": "query", "schema": {"type": "string"}},
              {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
              {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}
            ],
            "responses": {
              "200": {"description": "One page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerSearch"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers/{id}": {
          "get": {
            "operationId": "getCustomer", "summary": "One customer's 360: identity, segment, lifecycle, RFM, lifetime value, last orders, revenue by month.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "The customer", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/customers/{id}/recommendations": {
          "get": {
            "operationId": "getCustomerRecommendations", "summary": "The cross-sell model's best categories for a customer (ml.yml's cross_sell, scored by storehouse ml score), each with its three best-selling products; empty when the model has not scored them.",
            "parameters": [
              {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "description": "At most this many categories (default 5)", "schema": {"type": "integer", "minimum": 1, "maximum": 20}}
            ],
            "responses": {
              "200": {"description": "Recommendations", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recommendations"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/ml/{model}/score": {
          "post": {
            "operationId": "scoreRows", "summary": "Score feature rows with a model's accepted version (a model of the project's ml.yml): every feature the model reads, null where unknown, no other key; at most 1,000 rows.",
            "parameters": [{"name": "model", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
              "type": "object", "required": ["rows"], "additionalProperties": false,
              "properties": {"rows": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "object",
                "additionalProperties": {"type": ["number", "string", "boolean", "null"]}}}}}}}},
            "responses": {
              "200": {"description": "One score per row, in order", "content": {"application/json": {"schema": {
                "type": "object", "required": ["model", "version", "score_column", "scores"],
                "properties": {"model": {"type": "string"}, "version": {"type": "integer"}, "score_column": {"type": "string"},
                               "scores": {"type": "array", "items": {"type": "number"}}}}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/models": {
          "get": {
            "operationId": "listModels", "summary": "The project's models: description, columns, last build status, row count, built at.",
            "responses": {
              "200": {"description": "Models", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModelList"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/runs": {
          "get": {
            "operationId": "listRuns", "summary": "Runs of the project's jobs from the run store, newest first (404 when the server has no run store).",
            "parameters": [
              {"name": "job", "in": "query", "description": "Only this job's runs (404 for a job neither in jobs.yml nor on record)", "schema": {"type": "string"}},
              {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/RunStatus"}},
              {"name": "limit", "in": "query", "description": "At most this many runs (default 50)", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}
            ],
            "responses": {
              "200": {"description": "Runs", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunList"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          },
          "post": {
            "operationId": "startRun", "summary": "Start a run in the server's scheduler (admin): a job of jobs.yml, or one-off steps written as a job file's steps. 409 when the server runs no jobs (serve --read-only).",
            "parameters": [{"name": "follow", "in": "query", "description": "Stream the run as NDJSON events (queued, log …, finished) instead of answering 202", "schema": {"type": "string", "enum": ["true", "1", "false", "0"]}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
              "type": "object", "additionalProperties": false,
              "properties": {
                "job": {"type": "string", "description": "A job of jobs.yml"},
                "steps": {"type": "array", "items": {"type": "object"}, "description": "One-off steps, e.g. [{\"build\": {\"select\": \"orders+\"}}]"},
                "name": {"type": "string", "description": "The one-off job's name in the run history (default adhoc)"},
                "vars": {"type": "object", "description": "Added to the job's vars"}}}}}},
            "responses": {
              "202": {"description": "Queued", "content": {"application/json": {"schema": {
                "type": "object", "required": ["run"], "properties": {"run": {"$ref": "#/components/schemas/Run"}}}}}},
              "200": {"description": "The run as it happens, one JSON object a line", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/runs/{id}": {
          "get": {
            "operationId": "getRun", "summary": "One run with every attempt of every step: status, times, error, log and node results.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "responses": {
              "200": {"description": "The run", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunDetail"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/jobs": {
          "get": {
            "operationId": "listJobs", "summary": "The jobs of jobs.yml: schedule with its next tick, sensor, steps, chained jobs and last run.",
            "responses": {
              "200": {"description": "Jobs", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JobList"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/docs/search.json": {
          "get": {
            "operationId": "searchDocs", "summary": "Full-text search over the docs: models, sources, seeds, snapshots, their columns and the metrics, ranked (BM25 over names, labels, descriptions and column names).",
            "parameters": [
              {"name": "q", "in": "query", "description": "The words to look for; the last also matches as a prefix", "schema": {"type": "string", "maxLength": 500}},
              {"name": "limit", "in": "query", "description": "At most this many results (default 20)", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}
            ],
            "responses": {
              "200": {"description": "Results, best first", "content": {"application/json": {"schema": {
                "type": "object", "required": ["query", "results"],
                "properties": {"query": {"type": "string"}, "results": {"type": "array", "items": {
                  "type": "object", "required": ["kind", "title", "summary", "link", "score"],
                  "properties": {"kind": {"type": "string", "enum": ["model", "source", "seed", "snapshot", "column", "metric"]},
                                 "title": {"type": "string"}, "summary": {"type": "string"}, "link": {"type": "string"}, "score": {"type": "number"}}}}}}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/docs/graph.json": {
          "get": {
            "operationId": "docsGraph", "summary": "The lineage graph: every model, seed, snapshot and source with its parents (indexes into the list).",
            "responses": {
              "200": {"description": "The graph", "content": {"application/json": {"schema": {
                "type": "object", "required": ["nodes"],
                "properties": {"nodes": {"type": "array", "items": {
                  "type": "object", "required": ["id", "name", "kind", "path", "desc", "parents"],
                  "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}, "mat": {"type": "string"},
                                 "tags": {"type": "array", "items": {"type": "string"}}, "path": {"type": "string"}, "desc": {"type": "string"},
                                 "parents": {"type": "array", "items": {"type": "integer", "minimum": 0}}}}}}}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/docs/select.json": {
          "get": {
            "operationId": "selectNodes", "summary": "The models, seeds, snapshots and sources a selection in dbt's syntax picks, as the engine's own selector reads it (400 with the reason when it cannot).",
            "parameters": [
              {"name": "select", "in": "query", "description": "e.g. +dim_customers, tag:daily path:models/marts (space: or; comma: and)", "schema": {"type": "string"}},
              {"name": "exclude", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {
              "200": {"description": "The unique ids selected", "content": {"application/json": {"schema": {
                "type": "object", "required": ["count", "ids"],
                "properties": {"count": {"type": "integer", "minimum": 0}, "ids": {"type": "array", "items": {"type": "string"}}}}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/sql": {
          "get": {
            "operationId": "runSQLGet", "summary": "Run one read-only query (for links and CSV downloads).",
            "parameters": [
              {"name": "sql", "in": "query", "required": true, "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0}},
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}
            ],
            "responses": {
              "200": {"description": "Rows", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/SQLResult"}},
                "text/csv": {"schema": {"type": "string"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          },
          "post": {
            "operationId": "runSQL", "summary": "Run one read-only query: rows, column types, elapsed time, truncated flag.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SQLRequest"}}}},
            "responses": {
              "200": {"description": "Rows", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/SQLResult"}},
                "text/csv": {"schema": {"type": "string"}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/api/v1/cache": {
          "delete": {
            "operationId": "clearCache", "summary": "Drop every cached query result and what was rendered from them: pages and API answers (admin).",
            "responses": {
              "200": {"description": "Dropped", "content": {"application/json": {"schema": {
                "type": "object", "required": ["dropped", "pages", "answers"], "properties": {"dropped": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 0}, "answers": {"type": "integer", "minimum": 0}}}}}},
              "default": {"$ref": "#/components/responses/Error"}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "responses": {
          "Error": {"description": "An error: what happened and what to do", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            "text/html": {"schema": {"type": "string"}}}}
        },
        "schemas": {
          "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "object", "required": ["code", "message", "status"], "properties": {
              "code": {"type": "string", "description": "Stable and machine-readable: not_found, invalid_query, unknown_metric, not_read_only, forbidden_access, timeout, rate_limited, missing_token, …"},
              "message": {"type": "string"}, "hint": {"type": "string"}, "status": {"type": "integer"}}}}
          },
          "Readiness": {
            "type": "object", "required": ["status", "warehouse"],
            "properties": {"status": {"type": "string"}, "warehouse": {"type": "string"},
                           "last_build": {"type": ["string", "null"]}, "last_build_at": {"type": ["string", "null"]}}
          },
          "MetricSummary": {
            "type": "object", "required": ["name", "type", "description"],
            "properties": {"name": {"type": "string"}, "type": {"type": "string", "enum": ["simple", "ratio", "derived", "cumulative", "conversion"]},
                           "label": {"type": ["string", "null"]}, "description": {"type": "string"}}
          },
          "MetricList": {
            "type": "object", "required": ["metrics", "saved_queries"],
            "properties": {
              "metrics": {"type": "array", "items": {"$ref": "#/components/schemas/MetricSummary"}},
              "saved_queries": {"type": "array", "items": {"type": "object", "required": ["name", "metrics", "group_by"], "properties": {
                "name": {"type": "string"}, "metrics": {"type": "array", "items": {"type": "string"}}, "group_by": {"type": "array", "items": {"type": "string"}}}}}
            }
          },
          "Metric": {
            "allOf": [{"$ref": "#/components/schemas/MetricSummary"}, {"type": "object", "required": ["dimensions"], "properties": {
              "dimensions": {"type": "array", "items": {"$ref": "#/components/schemas/Dimension"}}}}]
          },
          "Dimension": {
            "type": "object", "required": ["name", "type", "grains", "description"],
            "properties": {"name": {"type": "string"}, "type": {"type": "string", "enum": ["time", "categorical"]},
                           "grains": {"type": "array", "items": {"type": "string"}}, "description": {"type": "string"}}
          },
          "NameList": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
          "MetricsRequest": {
            "type": "object", "additionalProperties": false,
            "properties": {
              "metrics": {"$ref": "#/components/schemas/NameList"}, "group_by": {"$ref": "#/components/schemas/NameList"},
              "where": {"$ref": "#/components/schemas/NameList"}, "order_by": {"$ref": "#/components/schemas/NameList"},
              "limit": {"type": "integer", "minimum": 0}, "start_time": {"type": "string"}, "end_time": {"type": "string"},
              "saved_query": {"type": "string"}, "format": {"type": "string", "enum": ["json", "csv"]}
            }
          },
          "Column": {
            "type": "object", "required": ["name", "type"],
            "properties": {"name": {"type": "string"}, "type": {"type": "string", "description": "The engine's type name"},
                           "role": {"type": "string", "enum": ["group_by", "metric"]}, "label": {"type": "string"}, "grain": {"type": "string"}}
          },
          "Rows": {"type": "array", "items": {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}}},
          "MetricsResult": {
            "type": "object", "required": ["columns", "rows", "row_count", "truncated", "sql"],
            "properties": {"columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}}, "rows": {"$ref": "#/components/schemas/Rows"},
                           "row_count": {"type": "integer"}, "truncated": {"type": "boolean"}, "sql": {"type": "string"}}
          },
          "SQLRequest": {
            "type": "object", "required": ["sql"], "additionalProperties": false,
            "properties": {"sql": {"type": "string"}, "limit": {"type": "integer", "minimum": 0}, "format": {"type": "string", "enum": ["json", "csv"]}}
          },
          "SQLResult": {
            "type": "object", "required": ["columns", "rows", "row_count", "truncated", "elapsed_ms"],
            "properties": {"columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}}, "rows": {"$ref": "#/components/schemas/Rows"},
                           "row_count": {"type": "integer"}, "truncated": {"type": "boolean"}, "elapsed_ms": {"type": "number"}}
          },
          "DashboardList": {
            "type": "object", "required": ["dashboards"],
            "properties": {"dashboards": {"type": "array", "items": {"type": "object", "required": ["name", "title", "tiles", "url"], "properties": {
              "name": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"}, "grain": {"type": "string"},
              "tiles": {"type": "integer"}, "url": {"type": "string"},
              "filters": {"type": "array", "items": {"type": "object", "properties": {"dimension": {"type": "string"}, "label": {"type": "string"}}}}}}}}
          },
          "DashboardData": {
            "type": "object", "required": ["name", "title", "state", "queries", "tiles"],
            "properties": {
              "name": {"type": "string"}, "title": {"type": "string"},
              "queries": {"type": "array", "items": {"type": "string"}, "description": "Every distinct SQL query a view of the dashboard in this state runs."},
              "state": {"type": "object", "properties": {"start": {"type": ["string", "null"]}, "end": {"type": ["string", "null"]}, "grain": {"type": "string"},
                        "filters": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
              "tiles": {"type": "array", "items": {"type": "object", "required": ["name", "title", "kind", "data", "sql", "unapplied_filters", "error"], "properties": {
                "name": {"type": "string"}, "title": {"type": "string"}, "kind": {"type": "string"},
                "sql": {"type": "object", "additionalProperties": {"type": "string"}, "description": "The SQL behind each of the tile's results, by role."},
                "data": {"type": "object", "additionalProperties": {"type": "object", "required": ["columns", "rows", "row_count"], "properties": {
                  "columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}}, "rows": {"$ref": "#/components/schemas/Rows"}, "row_count": {"type": "integer"}}}},
                "unapplied_filters": {"type": "array", "items": {"type": "string"}}, "error": {"type": ["string", "null"]}}}}
            }
          },
          "CustomerSummary": {
            "type": "object", "required": ["id", "name", "orders_count", "lifetime_value"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}, "city": {"type": "string"},
                           "country": {"type": "string"}, "segment": {"type": "string"}, "lifecycle": {"type": "string"},
                           "orders_count": {"type": "integer"}, "lifetime_value": {"type": "number"}, "last_order_at": {"type": "string"}}
          },
          "CustomerSearch": {
            "type": "object", "required": ["query", "page", "page_size", "total", "customers"],
            "properties": {"query": {"type": "string"}, "page": {"type": "integer"}, "page_size": {"type": "integer"}, "total": {"type": "integer"},
                           "customers": {"type": "array", "items": {"$ref": "#/components/schemas/CustomerSummary"}}}
          },
          "Customer": {
            "type": "object", "required": ["id", "name", "lifetime_value", "gross_revenue", "orders_count", "net_orders", "recent_orders", "monthly_revenue"],
            "properties": {
              "id": {"type": "integer"}, "name": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
              "email": {"type": "string"}, "city": {"type": "string"}, "state": {"type": "string"}, "country": {"type": "string"},
              "signed_up_at": {"type": "string"}, "acquisition_source": {"type": "string"}, "segment": {"type": "string"},
              "lifecycle": {"type": "string"}, "marketing_segment": {"type": "string"},
              "lifetime_value": {"type": "number"}, "gross_revenue": {"type": "number"}, "average_order_value": {"type": "number"},
              "orders_count": {"type": "integer"}, "net_orders": {"type": "integer"}, "first_order_at": {"type": "string"},
              "last_order_at": {"type": "string"}, "days_since_last_order": {"type": "integer"},
              "rfm": {"type": "object", "properties": {"recency_score": {"type": "integer"}, "frequency_score": {"type": "integer"},
                      "monetary_score": {"type": "integer"}, "cell": {"type": "string"}, "segment": {"type": "string"}, "recency_days": {"type": "integer"}}},
              "recent_orders": {"type": "array", "items": {"type": "object", "required": ["id", "revenue", "net_revenue"], "properties": {
                "id": {"type": "integer"}, "date": {"type": "string"}, "status": {"type": "string"}, "items": {"type": "integer"},
                "revenue": {"type": "number"}, "net_revenue": {"type": "number"}}}},
              "monthly_revenue": {"type": "array", "items": {"type": "object", "required": ["month", "net_revenue", "orders"], "properties": {
                "month": {"type": "string"}, "net_revenue": {"type": "number"}, "orders": {"type": "integer"}}}},
              "predictions": {"type": "object", "description": "Present when the project's churn or ltv model has scored the customer", "properties": {
                "churn_probability": {"type": "number", "minimum": 0, "maximum": 1}, "churn_model_version": {"type": "integer"},
                "predicted_revenue_90d": {"type": "number", "minimum": 0}, "ltv_model_version": {"type": "integer"}}}
            }
          },
          "Recommendations": {
            "type": "object", "required": ["customer_id", "recommendations"],
            "properties": {
              "customer_id": {"type": "integer"}, "model_version": {"type": "integer"},
              "recommendations": {"type": "array", "items": {"type": "object", "required": ["category", "purchase_probability", "products"], "properties": {
                "category": {"type": "string"}, "department": {"type": "string"}, "purchase_probability": {"type": "number", "minimum": 0, "maximum": 1},
                "products": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {
                  "id": {"type": "integer"}, "name": {"type": "string"}, "brand": {"type": "string"}, "retail_price": {"type": "number"}}}}}}}
            }
          },
          "ModelList": {
            "type": "object", "required": ["models"],
            "properties": {"models": {"type": "array", "items": {"type": "object", "required": ["name", "unique_id", "materialized", "description", "columns", "last_build", "row_count"], "properties": {
              "name": {"type": "string"}, "unique_id": {"type": "string"}, "relation": {"type": ["string", "null"]}, "materialized": {"type": "string"},
              "description": {"type": "string"}, "path": {"type": "string"},
              "columns": {"type": "array", "items": {"type": "object", "required": ["name", "description"], "properties": {
                "name": {"type": "string"}, "description": {"type": "string"}, "data_type": {"type": ["string", "null"]}}}},
              "last_build": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["status"], "properties": {
                "status": {"type": "string"}, "built_at": {"type": ["string", "null"]}, "execution_seconds": {"type": "number"}, "message": {"type": ["string", "null"]}}}]},
              "row_count": {"type": ["integer", "null"]}}}}}
          },
          "RunStatus": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "interrupted", "timed_out", "cancelled"]},
          "Instant": {"type": "string", "format": "date-time", "description": "ISO 8601 in UTC with milliseconds, e.g. 2026-12-05T14:03:07.123Z"},
          "RunTrigger": {
            "type": "object", "required": ["kind"], "description": "What started the run; the fields besides kind depend on it.",
            "properties": {"kind": {"type": "string", "enum": ["manual", "schedule", "sensor", "chained", "backfill", "retry"]},
                           "tick": {"$ref": "#/components/schemas/Instant"}, "files": {"type": "array", "items": {"type": "string"}},
                           "run": {"type": "integer", "description": "The run this one was chained from or retries"}, "partition": {"type": "string"}}
          },
          "Run": {
            "type": "object", "required": ["id", "job", "status", "trigger", "vars", "attempt", "queued_at", "started_at", "ended_at", "seconds", "error"],
            "properties": {
              "id": {"type": "integer"}, "job": {"type": "string"}, "status": {"$ref": "#/components/schemas/RunStatus"},
              "trigger": {"$ref": "#/components/schemas/RunTrigger"}, "vars": {"type": "object", "additionalProperties": {"type": "string"}},
              "attempt": {"type": "integer", "minimum": 1}, "queued_at": {"$ref": "#/components/schemas/Instant"},
              "started_at": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Instant"}]},
              "ended_at": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Instant"}]},
              "seconds": {"type": ["number", "null"], "description": "From start to end; null until the run has ended"}, "error": {"type": ["string", "null"]}}
          },
          "RunList": {"type": "object", "required": ["runs"], "properties": {"runs": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}}}},
          "RunDetail": {
            "allOf": [{"$ref": "#/components/schemas/Run"}, {"type": "object", "required": ["steps"], "properties": {
              "steps": {"type": "array", "description": "Every attempt of every step, in the order they started", "items": {
                "type": "object", "required": ["step", "kind", "attempt", "status", "started_at", "ended_at", "seconds", "error", "output", "nodes"],
                "properties": {
                  "step": {"type": "string"}, "kind": {"type": "string"}, "attempt": {"type": "integer", "minimum": 1},
                  "status": {"$ref": "#/components/schemas/RunStatus"}, "started_at": {"$ref": "#/components/schemas/Instant"},
                  "ended_at": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Instant"}]}, "seconds": {"type": ["number", "null"]},
                  "error": {"type": ["string", "null"]}, "output": {"type": "string", "description": "The attempt's log (its end, when long)"},
                  "nodes": {"type": "array", "items": {"type": "object", "required": ["unique_id", "status", "seconds", "rows", "message"], "properties": {
                    "unique_id": {"type": "string"}, "status": {"type": "string"}, "seconds": {"type": "number"},
                    "rows": {"type": ["integer", "null"]}, "message": {"type": ["string", "null"]}}}}}}}}}]
          },
          "JobList": {
            "type": "object", "required": ["jobs"],
            "properties": {"jobs": {"type": "array", "items": {"type": "object",
              "required": ["name", "description", "tags", "schedule", "sensor", "steps", "on_success", "last_run"], "properties": {
              "name": {"type": "string"}, "description": {"type": ["string", "null"]}, "tags": {"type": "array", "items": {"type": "string"}},
              "schedule": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["cron", "timezone", "catchup", "next_tick"], "properties": {
                "cron": {"type": "string"}, "timezone": {"type": "string"}, "catchup": {"type": "boolean"}, "next_tick": {"$ref": "#/components/schemas/Instant"}}}]},
              "sensor": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["kind", "path", "glob", "min_age_seconds"], "properties": {
                "kind": {"type": "string", "enum": ["landing"]}, "path": {"type": "string"}, "glob": {"type": "string"}, "min_age_seconds": {"type": "number"}}}]},
              "steps": {"type": "array", "items": {"type": "string"}}, "on_success": {"type": "array", "items": {"type": "string"}},
              "last_run": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Run"}]}}}}}
          }
        }
      }
    }
    """#
}
