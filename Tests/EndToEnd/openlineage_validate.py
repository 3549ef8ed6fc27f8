"""`storehouse lineage --openlineage` checked against OpenLineage's official JSON schemas, offline.

The schemas are OpenLineage's own, vendored unchanged in Tests/Fixtures/openlineage-spec (see its
README); every `*.json` there is registered under its `$id`, so the facets' `$ref`s to
`https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/...` resolve without a network.

Each event is validated against the definition its `schemaURL` names (e.g. `#/$defs/JobEvent`)
and against the whole OpenLineage.json (whose top-level `oneOf` must pick exactly that kind of
event). Each facet (job, run, dataset, input and output facets) is validated against the schema
its `_schemaURL` names, which must be one of the vendored ones, under the key that schema gives
it (`columnLineage`, `jobType`), and in a place its kind allows (a DatasetFacet on a dataset, a
JobFacet on the job). `format` is checked (date-time, uri, uuid).

Without --events, a small project of its own (seeds, a staging view, an ephemeral model, marts
with identity, transformation, aggregation, window, join, filter and group-by columns, and a
`select *`) is built and its events checked; then the checker itself is checked: mutated events
(no eventTime, a name of the wrong type, a facet without `_producer`, ...) must each be rejected.

Usage: openlineage_validate.py STOREHOUSE_BINARY
       openlineage_validate.py --events FILE.jsonl      (events from elsewhere; - for stdin)
Run with the venv scripts/openlineage-venv.sh prints (PyPI's jsonschema).
"""
import copy
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import jsonschema.exceptions
import referencing
import referencing.jsonschema

SPEC_DIR = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "openlineage-spec"
CORE = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
# Where a facet sits in an event, and the core definition its schema must extend there.
PLACES = {"run": "RunFacet", "job": "JobFacet", "facets": "DatasetFacet",
          "inputFacets": "InputDatasetFacet", "outputFacets": "OutputDatasetFacet"}


def load_registry():
    schemas = {}
    for path in sorted(SPEC_DIR.rglob("*.json")):
        contents = json.loads(path.read_text())
        schemas[contents["$id"]] = contents
    resources = [(uri, referencing.Resource.from_contents(contents)) for uri, contents in schemas.items()]
    return schemas, referencing.Registry().with_resources(resources).crawl()


SCHEMAS, REGISTRY = load_registry()


def errors_against(instance, ref, at=""):
    """'path: reason' for each error of `instance` against the schema at `ref`; paths start with `at`."""
    validator = jsonschema.Draft202012Validator({"$ref": ref}, registry=REGISTRY, format_checker=FORMATS)
    # best_match goes down anyOf/oneOf branches to the error that explains them (a facet's missing
    # `_producer` rather than "not valid under any of the given schemas").
    errors = [jsonschema.exceptions.best_match([error]) for error in validator.iter_errors(instance)]
    errors.sort(key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join([at] * bool(at) + list(map(str, error.absolute_path))) or '(root)'}: {short(error.message)}" for error in errors]


def short(message, limit=200):
    return message if len(message) <= limit else message[:limit - 40] + " ... " + message[-35:]


def facets_of(event):
    """(place, path, facets) for every facet map in the event."""
    job = event.get("job")
    if isinstance(job, dict) and "facets" in job:
        yield "job", "job/facets", job["facets"]
    run = event.get("run")
    if isinstance(run, dict) and "facets" in run:
        yield "run", "run/facets", run["facets"]
    for side in ("inputs", "outputs"):
        datasets = event.get(side)
        if not isinstance(datasets, list):
            continue
        for index, dataset in enumerate(datasets):
            if not isinstance(dataset, dict):
                continue
            for key in ("facets", "inputFacets", "outputFacets"):
                if key in dataset:
                    yield key, f"{side}/{index}/{key}", dataset[key]


def validate_facet(place, path, name, facet):
    where = f"{path}/{name}"
    if not isinstance(facet, dict):
        return [f"{where}: a facet is an object"]
    url = facet.get("_schemaURL")
    schema = SCHEMAS.get(url.split("#")[0]) if isinstance(url, str) else None
    if schema is None:
        return [f"{where}/_schemaURL: {url!r} is not a vendored OpenLineage schema (add it, unchanged, to {SPEC_DIR})"]
    if "#" in url:  # a core definition, e.g. OpenLineage.json#/$defs/DatasetFacet: no key to check
        return errors_against(facet, url, at=where)
    properties = schema.get("properties", {})
    if name not in properties:
        return [f"{where}: {url} names its facet {' or '.join(map(repr, properties)) or '(none)'}, not {name!r}"]
    problems = []
    definition = properties[name].get("$ref", "").removeprefix("#")
    extends = [part.get("$ref", "") for part in schema.get("$defs", {}).get(definition.rsplit("/", 1)[-1], {}).get("allOf", [])]
    allowed = PLACES[place]
    if not any(ref.endswith(f"#/$defs/{allowed}") for ref in extends):
        kinds = [ref.rsplit("/", 1)[-1] for ref in extends if "OpenLineage.json#" in ref]
        problems.append(f"{where}: {url} is a {' / '.join(kinds) or 'facet'}, not a {allowed}")
    # The facet schema's root maps the facet's key to its definition, as OpenLineage's own spec tests use it.
    problems += errors_against({name: facet}, url, at=path)
    return problems


def validate(event):
    """Every way `event` breaks the schemas it names, as 'path: reason' lines (empty when valid)."""
    if not isinstance(event, dict):
        return ["(root): an event is an object"]
    url = event.get("schemaURL")
    if not isinstance(url, str) or not url.startswith(CORE + "#/$defs/") or url.rsplit("/", 1)[-1] not in SCHEMAS[CORE]["$defs"]:
        problems = [f"schemaURL: {url!r} is not a definition in {CORE} (the only core spec vendored)"]
        problems += [f"(as {CORE}) {error}" for error in errors_against(event, CORE)]
    else:
        problems = errors_against(event, url)
        if not problems:
            whole = errors_against(event, CORE)
            problems += [f"(as {CORE}) {error}" for error in whole]
    for place, path, facets in facets_of(event):
        if not isinstance(facets, dict):
            continue  # the event's own schema says so
        for name, facet in sorted(facets.items()):
            problems += validate_facet(place, path, name, facet)
    return list(dict.fromkeys(problems))  # a facet's base fields are checked by both the event's and its own schema


def check_formats_are_checked():
    """Without rfc3339-validator / rfc3986-validator, jsonschema skips date-time and uri silently."""
    missing = [kind for kind, bad in (("date-time", "yesterday"), ("uri", "not a uri"), ("uuid", "x"))
               if FORMATS.conforms(bad, kind)]
    if missing:
        sys.exit(f"the format checker does not check {', '.join(missing)}: install rfc3339-validator and rfc3986-validator")


FILES = {
    "dbt_project.yml": "name: shop\nprofile: shop\nmodels:\n  shop:\n    staging:\n      +schema: staging\n    marts:\n      +schema: marts\n",
    "profiles.yml": "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: $ROOT/w.duckdb\n",
    "seeds/raw_orders.csv": "id,customer_id,amount,status\n1,1,10.5,paid\n2,2,3,open\n3,1,7,paid\n",
    "seeds/raw_customers.csv": "id,name\n1,Ann\n2,Bob\n",
    "models/staging/stg_orders.sql": "select id as order_id, customer_id, amount, status from {{ ref('raw_orders') }}",
    "models/staging/stg_customers.sql": "{{ config(materialized='ephemeral') }}\nselect id as customer_id, upper(name) as name from {{ ref('raw_customers') }}",
    "models/marts/customer_revenue.sql": (
        "select c.customer_id, c.name, sum(o.amount) as revenue, count(*) as orders,\n"
        "       rank() over (order by sum(o.amount) desc) as revenue_rank\n"
        "from {{ ref('stg_orders') }} o join {{ ref('stg_customers') }} c on o.customer_id = c.customer_id\n"
        "where o.status = 'paid'\ngroup by c.customer_id, c.name\n"),
    "models/marts/orders_wide.sql": "select *, amount * 2 as doubled, md5(status) as status_hash from {{ ref('stg_orders') }}",
}


def events_from_binary(binary):
    root = pathlib.Path(tempfile.mkdtemp(prefix="storehouse-openlineage."))
    try:
        for path, text in FILES.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text.replace("$ROOT", str(root)))
        env = {**os.environ, "STOREHOUSE_RUNS_DB": ""}
        for arguments in (["build"], ["lineage", "--openlineage"]):
            run = subprocess.run([binary, *arguments, "--project-dir", str(root)], cwd=root, env=env,
                                 capture_output=True, text=True, timeout=120)
            if run.returncode != 0:
                sys.exit(f"storehouse {' '.join(arguments)} exited {run.returncode}:\n{run.stdout}{run.stderr}")
        return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def mutations(event):
    """(what, mutated copy) pairs that every validator of OpenLineage events must reject."""
    def mutated(change):
        copied = copy.deepcopy(event)
        change(copied)
        return copied

    def lineage(e):
        return e["outputs"][0]["facets"]["columnLineage"]

    def first_input_field(e):
        return next(field for column in lineage(e)["fields"].values() for field in column["inputFields"])

    return [
        ("no eventTime", mutated(lambda e: e.pop("eventTime"))),
        ("eventTime not a date-time", mutated(lambda e: e.update(eventTime="yesterday"))),
        ("producer not a URI", mutated(lambda e: e.update(producer="storehouse dev build"))),
        ("job.name a number", mutated(lambda e: e["job"].update(name=42))),
        ("job without namespace", mutated(lambda e: e["job"].pop("namespace"))),
        ("outputs an object", mutated(lambda e: e.update(outputs=e["outputs"][0]))),
        ("a job event with a run", mutated(lambda e: e.update(run={"runId": "0190b2a4-5c3e-7000-8000-000000000000"}))),
        ("schemaURL naming no definition", mutated(lambda e: e.update(schemaURL=CORE + "#/$defs/NoSuchEvent"))),
        ("columnLineage without _producer", mutated(lambda e: lineage(e).pop("_producer"))),
        ("columnLineage without fields", mutated(lambda e: lineage(e).pop("fields"))),
        ("columnLineage _deleted a string", mutated(lambda e: lineage(e).update(_deleted="no"))),
        ("an inputField without field", mutated(lambda e: first_input_field(e).pop("field"))),
        ("a transformation's masking a string", mutated(lambda e: first_input_field(e)["transformations"][0].update(masking="false"))),
        ("a transformation without type", mutated(lambda e: first_input_field(e)["transformations"][0].pop("type"))),
        ("jobType without processingType", mutated(lambda e: e["job"]["facets"]["jobType"].pop("processingType"))),
        ("a facet with an unknown _schemaURL", mutated(lambda e: lineage(e).update(_schemaURL="https://openlineage.io/spec/facets/9-9-9/ColumnLineageDatasetFacet.json"))),
        ("columnLineage under another key", mutated(lambda e: e["outputs"][0].update(facets={"lineage": lineage(e)}))),
        ("columnLineage as a job facet", mutated(lambda e: e["job"]["facets"].update(columnLineage=lineage(e)))),
    ]


def main():
    check_formats_are_checked()
    if len(sys.argv) == 3 and sys.argv[1] == "--events":
        text = sys.stdin.read() if sys.argv[2] == "-" else pathlib.Path(sys.argv[2]).read_text()
        events = [json.loads(line) for line in text.splitlines() if line.strip()]
        binary = None
    elif len(sys.argv) == 2:
        binary = os.path.abspath(sys.argv[1])
        events = events_from_binary(binary)
    else:
        sys.exit(__doc__)
    failures = 0
    if not events:
        print("FAIL no events")
        failures += 1
    for event in events:
        problems = validate(event)
        event = event if isinstance(event, dict) else {}
        job = event.get("job") if isinstance(event.get("job"), dict) else {}
        kind = str(event.get("schemaURL", "?")).rsplit("/", 1)[-1]
        facets = sum(len(f) for _, _, f in facets_of(event) if isinstance(f, dict))
        print(f"{'ok  ' if not problems else 'FAIL'} {job.get('name', '?')}: {kind} and {facets} facets")
        for problem in problems:
            print(f"       {problem}")
        failures += bool(problems)
    if binary is not None:
        # The checker itself: each mutation of a valid event must be rejected.
        kinds = {"IDENTITY", "TRANSFORMATION", "AGGREGATION", "JOIN", "FILTER", "GROUP_BY"}
        seen = {t.get("subtype") for e in events for o in e.get("outputs", []) for f in [o.get("facets", {}).get("columnLineage", {})]
                for field in [*(x for c in f.get("fields", {}).values() for x in c.get("inputFields", [])), *f.get("dataset", [])]
                for t in field.get("transformations", [])}
        if not kinds <= seen:
            print(f"FAIL the project's events lack the subtypes {sorted(kinds - seen)}")
            failures += 1
        sample = next((e for e in events if not validate(e) and any(
            c["inputFields"] for o in e["outputs"] for c in o.get("facets", {}).get("columnLineage", {}).get("fields", {}).values())), None)
        if sample is None:
            print("FAIL no valid event with column lineage to mutate")
            failures += 1
        else:
            for what, event in mutations(sample):
                problems = validate(event)
                print(f"{'ok  ' if problems else 'FAIL'} rejected: {what}" + (f"  ({problems[0]})" if problems else " (it passed)"))
                failures += not problems
    print(f"openlineage: {failures} check(s) failed" if failures else f"openlineage: {len(events)} events valid against the OpenLineage schemas")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
