"""Storehouse's dbt artifacts checked against dbt's published JSON schemas, offline.

manifest.json (v12), run_results.json (v6), catalog.json (v1) and sources.json (v3) are validated
with PyPI's jsonschema against the schemas PyPI's artifact-parser 1.0.1 ships
(artifact_parser/dbt/resources/): byte for byte dbt-core's schemas/dbt/<artifact>/<version>.json
as dbt-core committed them on its 1.11 line ("update artifact schemas", #12551), the files
schemas.getdbt.com publishes. Each schema's `$id` must equal the artifact's
metadata.dbt_schema_version.

Without --artifacts, two projects are built and every artifact each command writes is checked:
- a small project of its own: seeds, a view, an ephemeral, an incremental and a versioned model,
  an analysis, a snapshot, a macro with properties, a docs block, a group, a disabled model, a
  unit test, an exposure; tests that pass, warn and fail, a model that errors and one skipped
  after it; a source that is fresh, one stale enough to warn, one to error and one missing;
- the bundled analytics project on a warehouse generated at --scale 0.02 (semantic models,
  metrics, saved queries, a snapshot, ~300 tests), unless --small-only.
The commands are `seed` (small project), `build`, `docs generate` and `source freshness`. Then the
checker itself is checked: mutated artifacts (a node without checksum, an unknown status, ...) must
each be rejected. Errors are grouped by path (ids and indexes as [*]) and counted.

Usage: dbt_artifacts_validate.py STOREHOUSE_BINARY [--small-only]
       dbt_artifacts_validate.py --artifacts TARGET_DIR   (artifacts from elsewhere, e.g. dbt-core's)
Run with the venv scripts/dbt-artifact-schemas-venv.sh prints (jsonschema + artifact-parser).
"""
import collections
import copy
import datetime
import hashlib
import importlib.metadata
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import jsonschema

SCHEMA_PACKAGE, SCHEMA_PACKAGE_VERSION = "artifact-parser", "1.0.1"
# artifact file -> (schema file inside the package, the $id it must have)
ARTIFACTS = {
    "manifest.json": ("artifact_parser/dbt/resources/manifest/manifest_v12.json", "https://schemas.getdbt.com/dbt/manifest/v12.json"),
    "run_results.json": ("artifact_parser/dbt/resources/run-results/run-results_v6.json", "https://schemas.getdbt.com/dbt/run-results/v6.json"),
    "catalog.json": ("artifact_parser/dbt/resources/catalog/catalog_v1.json", "https://schemas.getdbt.com/dbt/catalog/v1.json"),
    "sources.json": ("artifact_parser/dbt/resources/sources/sources_v3.json", "https://schemas.getdbt.com/dbt/sources/v3.json"),
}
# Objects keyed by ids or names: their keys show as [*] when errors are grouped.
KEYED = {"nodes", "sources", "macros", "docs", "exposures", "metrics", "groups", "selectors", "disabled", "parent_map",
         "child_map", "group_map", "saved_queries", "semantic_models", "unit_tests", "columns", "stats", "env"}
REPO = pathlib.Path(__file__).resolve().parents[2]


def load_validators():
    try:
        dist = importlib.metadata.distribution(SCHEMA_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{SCHEMA_PACKAGE} is not installed: run with the venv scripts/dbt-artifact-schemas-venv.sh prints")
    if dist.version != SCHEMA_PACKAGE_VERSION:
        sys.exit(f"{SCHEMA_PACKAGE} {dist.version} is installed; this check is pinned to {SCHEMA_PACKAGE_VERSION}")
    validators = {}
    for artifact, (relative, schema_id) in ARTIFACTS.items():
        schema = json.loads(pathlib.Path(dist.locate_file(relative)).read_text())
        if schema.get("$id") != schema_id:
            sys.exit(f"{relative} in {SCHEMA_PACKAGE} has $id {schema.get('$id')!r}, not {schema_id}")
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validators[artifact] = (schema_id, cls(schema, format_checker=cls.FORMAT_CHECKER))
    return validators


VALIDATORS = load_validators()


def leaf_errors(error):
    """The errors that explain an anyOf/oneOf failure: those of the branch the instance means (the one
    whose resource_type it has, else the one it fails least), not "is not valid under any of ..."."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches = collections.defaultdict(list)
    for sub in error.context:
        branches[sub.relative_schema_path[0]].append(sub)
    chosen = None
    instance = error.instance
    if isinstance(instance, dict) and "resource_type" in instance:
        for index, branch in enumerate(error.validator_value):
            if isinstance(branch, dict) and branch.get("properties", {}).get("resource_type", {}).get("const") == instance["resource_type"]:
                chosen = branches.get(index, [])
                break
    if chosen is None:
        # A branch that fails only on the instance's type (null, a string) explains nothing.
        meaningful = [b for b in branches.values() if not (len(b) == 1 and b[0].validator == "type" and b[0].path == error.path)]
        chosen = min(meaningful or list(branches.values()), key=len)
    return [leaf for sub in chosen for leaf in leaf_errors(sub)]


def pattern(path):
    parts = ["$"]
    keyed = False
    for part in path:
        if isinstance(part, int):
            parts.append("[*]")
        elif keyed:
            parts.append("[*]")
        else:
            parts.append(f".{part}")
        keyed = isinstance(part, str) and part in KEYED and not keyed
    return "".join(parts)


def validate(artifact, instance):
    """(pattern, reason) -> [concrete paths] for every error of the artifact against its schema."""
    schema_id, validator = VALIDATORS[artifact]
    groups = collections.defaultdict(list)
    declared = instance.get("metadata", {}).get("dbt_schema_version") if isinstance(instance, dict) else None
    if declared != schema_id:
        groups[("$.metadata.dbt_schema_version", f"is {declared!r}, the schema is {schema_id}")].append("$.metadata.dbt_schema_version")
    for error in validator.iter_errors(instance):
        for leaf in leaf_errors(error):
            message = leaf.message if len(leaf.message) <= 240 else leaf.message[:200] + " ... " + leaf.message[-35:]
            groups[(pattern(leaf.absolute_path), f"[{leaf.validator}] {message}")].append(leaf.json_path)
    return groups


def report(label, groups):
    count = sum(len(paths) for paths in groups.values())
    print(f"{'ok  ' if not groups else 'FAIL'} {label}" + (f": {count} error(s)" if groups else ""))
    for (where, reason), paths in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"       {len(paths):5d} x {where}: {reason}")
        print(f"               e.g. {paths[0]}")
    return bool(groups)


def small_project_files():
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    recent = "".join(f"{i},{kind},{(now - datetime.timedelta(hours=i)).isoformat(sep=' ', timespec='seconds')}\n"
                     for i, kind in [(1, "view"), (2, "cart"), (3, "view")])
    return {
        "dbt_project.yml": ("name: tiny\nversion: \"1.0\"\nconfig-version: 2\nprofile: tiny\n"
                            "seeds:\n  tiny:\n    +schema: raw\n    old_orders:\n      +column_types: {amount: double}\n"),
        "profiles.yml": "tiny:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: $ROOT/tiny.duckdb\n      schema: main\n      threads: 1\n",
        "seeds/events.csv": "id,kind,loaded_at\n" + recent,
        "seeds/old_orders.csv": "id,amount,loaded_at\n1,10.5,2020-01-01 00:00:00\n2,3.25,2020-01-02 00:00:00\n",
        "models/stg_events.sql": "select id, kind, loaded_at from {{ source('raw', 'events') }}\n",
        "models/order_totals.sql": ("{{ config(materialized='view') }}\n"
                                    "select count(*) as orders, {{ cents(\"sum(amount)\") }} / 100.0 as amount from {{ source('raw', 'old_orders') }}\n"),
        "models/broken.sql": "select no_such_column from {{ ref('order_totals') }}\n",
        "models/after_broken.sql": "select * from {{ ref('broken') }}\n",
        "models/switched_off.sql": "{{ config(enabled=false) }}\nselect 1 as x\n",
        "models/kinds.sql": "{{ config(materialized='ephemeral') }}\nselect distinct kind from {{ ref('stg_events') }}\n",
        "models/kind_counts.sql": ("{{ config(materialized='incremental', unique_key='kind') }}\n"
                                   "select k.kind, count(*) as n from {{ ref('kinds') }} k join {{ ref('stg_events') }} e using (kind)\n"
                                   "{% if is_incremental() %} where true {% endif %}\ngroup by 1\n"),
        "models/event_log_v1.sql": "select id, kind from {{ ref('stg_events') }}\n",
        "models/event_log_v2.sql": "select id, kind, loaded_at from {{ ref('stg_events') }}\n",
        "models/docs.md": "{% docs events_doc %}\nPage views and cart adds, one row per event.\n{% enddocs %}\n",
        "models/schema.yml": """version: 2
sources:
  - name: raw
    schema: main_raw
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: day}
    tables:
      - name: events
        description: Raw events.
        columns:
          - name: id
            tests: [not_null]
      - name: old_orders
        freshness:
          warn_after: {count: 1, period: day}
          error_after: {count: 2, period: day}
      - name: stale_warn
        identifier: old_orders
        freshness:
          warn_after: {count: 1, period: day}
      - name: missing
        identifier: no_such_table
groups:
  - name: analytics
    owner: {name: Ana, email: ana@example.com}
models:
  - name: stg_events
    description: '{{ doc("events_doc") }}'
    group: analytics
    columns:
      - name: id
        description: The event.
        tests: [unique, not_null]
  - name: order_totals
    description: Orders in one row.
    columns:
      - name: amount
        data_type: double
  - name: event_log
    latest_version: 2
    versions:
      - v: 1
      - v: 2
    columns:
      - name: kind
        tests:
          - accepted_values:
              values: [view]
              config: {severity: warn}
          - accepted_values:
              values: [view, buy]
unit_tests:
  - name: stg_events_passes_rows
    model: stg_events
    given:
      - input: source('raw', 'events')
        rows:
          - {id: 1, kind: view, loaded_at: "2024-01-01 00:00:00"}
    expect:
      rows:
        - {id: 1, kind: view}
exposures:
  - name: events_dashboard
    type: dashboard
    owner: {name: Ana, email: ana@example.com}
    depends_on: [ref('stg_events')]
""",
        "tests/no_negative_amounts.sql": "select * from {{ ref('order_totals') }} where amount < 0\n",
        "snapshots/events_snapshot.sql": ("{% snapshot events_snapshot %}\n"
                                          "{{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols=['kind']) }}\n"
                                          "select id, kind from {{ source('raw', 'events') }}\n{% endsnapshot %}\n"),
        "analyses/kinds_report.sql": "select * from {{ ref('kind_counts') }}\n",
        "macros/cents.sql": "{% macro cents(column) %}round({{ column }} * 100){% endmacro %}\n",
        "macros/macros.yml": ("version: 2\nmacros:\n  - name: cents\n    description: A money column in cents.\n"
                              "    arguments:\n      - name: column\n        type: string\n        description: The column.\n"),
    }


def fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def run_project(binary, root, steps, env):
    """Runs each (arguments, allowed exit codes, artifacts it must write) in `root`; returns
    [(label, artifact, parsed JSON)] for every artifact a step wrote, and the problems met."""
    written, problems = [], []
    target = root / "target"
    for arguments, allowed, required in steps:
        before = {a: fingerprint(target / a) for a in ARTIFACTS}
        run = subprocess.run([binary, *arguments, "--project-dir", ".", "--profiles-dir", "."], cwd=root, env=env,
                             capture_output=True, text=True, timeout=600)
        label = f"{root.name}: storehouse {' '.join(arguments)}"
        if run.returncode not in allowed:
            problems.append(f"{label} exited {run.returncode}:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
            continue
        for artifact in ARTIFACTS:
            after = fingerprint(target / artifact)
            if after is not None and after != before[artifact]:
                written.append((f"{label} -> {artifact}", artifact, json.loads((target / artifact).read_text())))
            elif artifact in required:
                problems.append(f"{label} did not write target/{artifact}")
    return written, problems


def small_project(binary, workdir, env):
    root = workdir / "tiny"
    for path, text in small_project_files().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text.replace("$ROOT", str(root)))
    steps = [
        (["seed"], {0}, {"run_results.json"}),
        # A failing test and an erroring model: build exits 1.
        (["build"], {1}, {"manifest.json", "run_results.json"}),
        (["docs", "generate"], {0}, {"catalog.json"}),
        # Stale sources: freshness exits 1.
        (["source", "freshness"], {1}, {"sources.json"}),
    ]
    return run_project(binary, root, steps, env)


def bundled_project(binary, workdir, env):
    root = workdir / "analytics"
    shutil.copytree(REPO / "analytics", root,
                    ignore=shutil.ignore_patterns("target", "dbt_packages", "logs", "*.duckdb", "*.duckdb.wal"))
    warehouse = workdir / "analytics.duckdb"
    env = {**env, "STOREHOUSE_DB": str(warehouse), "STOREHOUSE_TARGET": "dev"}
    run = subprocess.run([binary, "generate", "--scale", "0.02", "--db", str(warehouse)], cwd=workdir, env=env,
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        return [], [f"storehouse generate exited {run.returncode}:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"]
    steps = [
        (["build"], {0}, {"manifest.json", "run_results.json"}),
        (["docs", "generate"], {0}, {"catalog.json"}),
        (["source", "freshness"], {0, 1}, {"sources.json"}),
    ]
    return run_project(binary, root, steps, env)


def coverage_problems(written):
    """The small project must reach the shapes it is there for (statuses, resource types)."""
    problems = []
    last = {artifact: data for label, artifact, data in written if label.startswith("tiny:")}
    build = next((data for label, artifact, data in written if label.startswith("tiny: storehouse build") and artifact == "run_results.json"), {})
    statuses = {r.get("status") for r in build.get("results", [])}
    if not {"success", "pass", "warn", "fail", "error", "skipped"} <= statuses:
        problems.append(f"the small project's build reached the statuses {sorted(map(str, statuses))}, not all of success, pass, warn, fail, error, skipped")
    freshness = {r.get("status") for r in last.get("sources.json", {}).get("results", [])}
    if not {"pass", "warn", "error"} <= freshness:
        problems.append(f"the small project's freshness reached {sorted(map(str, freshness))}, not all of pass, warn, error")
    manifest = last.get("manifest.json", {})
    kinds = {n.get("resource_type") for n in manifest.get("nodes", {}).values()}
    if not {"model", "seed", "test", "snapshot", "analysis"} <= kinds or not all(manifest.get(k) for k in ("unit_tests", "exposures", "docs", "sources")):
        problems.append(f"the small project's manifest lacks resources: nodes are {sorted(map(str, kinds))}")
    catalog = last.get("catalog.json", {})
    if not catalog.get("nodes") or not catalog.get("sources"):
        problems.append("the small project's catalog has no nodes or no sources")
    return problems


def mutations(artifact, data):
    """(what, mutated copy) pairs the schema must reject."""
    def mutated(change):
        copied = copy.deepcopy(data)
        change(copied)
        return copied

    def first(section, kind=None):
        return next(v for v in section.values() if kind is None or v.get("resource_type") == kind)

    if artifact == "manifest.json":
        return [
            ("a seed without checksum", mutated(lambda d: first(d["nodes"], "seed").pop("checksum"))),
            ("a model of an unknown resource_type", mutated(lambda d: first(d["nodes"], "model").update(resource_type="modle"))),
            ("a model with a property dbt's Model lacks", mutated(lambda d: first(d["nodes"], "model").update(built_by="storehouse"))),
            ("a source's fqn a string", mutated(lambda d: first(d["sources"]).update(fqn="raw.events"))),
            ("parent_map a list", mutated(lambda d: d.update(parent_map=[]))),
        ]
    if artifact == "run_results.json":
        return [
            ("a result with an unknown status", mutated(lambda d: d["results"][0].update(status="passed"))),
            ("a result without unique_id", mutated(lambda d: d["results"][0].pop("unique_id"))),
            ("elapsed_time a string", mutated(lambda d: d.update(elapsed_time="1s"))),
            ("metadata with an unknown property", mutated(lambda d: d["metadata"].update(engine="storehouse"))),
        ]
    if artifact == "catalog.json":
        return [
            ("a node without metadata", mutated(lambda d: first(d["nodes"]).pop("metadata"))),
            ("a column's index a string", mutated(lambda d: next(iter(first(d["nodes"])["columns"].values())).update(index="1"))),
            ("a table type a number", mutated(lambda d: first(d["nodes"])["metadata"].update(type=5))),
        ]
    return [
        ("a result with an unknown status", mutated(lambda d: d["results"][0].update(status="stale"))),
        ("max_loaded_at_time_ago_in_s a string", mutated(lambda d: d["results"][0].update(max_loaded_at_time_ago_in_s="old"))),
        ("a result without criteria", mutated(lambda d: d["results"][0].pop("criteria"))),
    ]


def main():
    started = time.monotonic()
    arguments = sys.argv[1:]
    failures = 0
    if len(arguments) == 2 and arguments[0] == "--artifacts":
        directory = pathlib.Path(arguments[1])
        found = [a for a in ARTIFACTS if (directory / a).exists()]
        if not found:
            sys.exit(f"no dbt artifacts in {directory}")
        for artifact in found:
            failures += report(f"{directory / artifact}", validate(artifact, json.loads((directory / artifact).read_text())))
        print(f"dbt artifacts: {failures} of {len(found)} invalid" if failures else f"dbt artifacts: {len(found)} valid against dbt's schemas")
        sys.exit(1 if failures else 0)
    if not arguments or arguments[0].startswith("-") or any(a != "--small-only" for a in arguments[1:]):
        sys.exit(__doc__)
    binary = os.path.abspath(arguments[0])
    env = {**os.environ, "STOREHOUSE_RUNS_DB": ""}
    env.pop("STOREHOUSE_DB", None)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="storehouse-dbt-artifacts."))
    try:
        written, problems = small_project(binary, workdir, env)
        problems += coverage_problems(written)
        if "--small-only" not in arguments:
            more, more_problems = bundled_project(binary, workdir, env)
            written += more
            problems += more_problems
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for problem in problems:
        print(f"FAIL {problem}")
    failures += len(problems)
    valid = {}
    for label, artifact, data in written:
        failed = report(label, validate(artifact, data))
        failures += failed
        if not failed and label.startswith("tiny:"):
            valid[artifact] = data
    # The checker itself: each mutation of a valid artifact must be rejected.
    for artifact in ARTIFACTS:
        if artifact not in valid:
            print(f"FAIL no valid {artifact} from the small project to mutate")
            failures += 1
            continue
        for what, data in mutations(artifact, valid[artifact]):
            groups = validate(artifact, data)
            first_error = next(iter(groups), None)
            print(f"{'ok  ' if groups else 'FAIL'} rejected: {artifact} with {what}"
                  + (f"  ({first_error[0]}: {first_error[1][:120]})" if first_error else " (it passed)"))
            failures += not groups
    seconds = time.monotonic() - started
    print(f"dbt artifacts: {failures} check(s) failed" if failures
          else f"dbt artifacts: {len(written)} artifacts valid against dbt's published schemas ({seconds:.1f} s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
