#!/usr/bin/env bash
# Runs the semantic-layer queries of scripts/metricflow-queries.txt through MetricFlow (the
# reference: dbt-metricflow's `mf query`) and through `storehouse metrics query` on the same
# warehouse, and compares the results as sets of rows. Prints one line per query (OK / DIFF with
# the first differing row / ERROR) and a summary; exits 1 when any query differs, 0 when all agree
# or when MetricFlow cannot be installed (skipped, with a message), 2 on usage errors.
#
#   scripts/compare-with-metricflow.sh [STOREHOUSE_BINARY]      (default .build/debug/storehouse)
#
# Steps: `storehouse generate --scale $SCALE --as-of $AS_OF --clickstream --db W` makes the raw
# data; dbt-core + dbt-duckdb from the MetricFlow venv (scripts/metricflow-venv.sh) build the
# bundled project on W (`dbt run`, ML marts excluded: no metric reads them); then each query runs
# through mf (writing --csv) and through storehouse (`--format csv --project-dir`, STOREHOUSE_DB=W).
#
# Environment:
#   SCALE=0.1          generator scale;  AS_OF=2024-06-30  the data's last day (queries use 2023-24 dates)
#   QUERIES=FILE       queries file (default scripts/metricflow-queries.txt)
#   RAW_DB=FILE        use this DuckDB file's schema raw instead of generating (it is copied)
#   MF_ONLY=1          run only the MetricFlow half (no storehouse binary needed): checks every
#                      query works in mf and prints its row count and columns
#   MF_PER_PROCESS=1   run the `mf` executable once per query (slow: ~10 s of start-up each)
#                      instead of invoking the same `mf query` click command in one Python process
#   KEEP=DIR           keep the warehouse, project copy and every CSV in DIR
#   MF_VENV=DIR        MetricFlow venv to use (default: the one scripts/metricflow-venv.sh makes)
#
# Comparison rules: same column names (any order); rows compared as multisets; numbers equal
# within relative 1e-9 or absolute 1e-6 (Decimal 50.000000 == 50 == 50.0; inf == inf); empty
# field = NULL, equal only to NULL; timestamps at midnight equal the date (2024-01-01 00:00:00 ==
# 2024-01-01 == 2024-01-01T00:00:00); True/true. Text that only matched after such rewriting is
# reported as a formatting note on the OK line. With --order-by the sequence of the ordered
# columns must match too. mf writes no file for an empty result: that equals a header-only CSV.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
storehouse="${1:-$repo/.build/debug/storehouse}"
[[ "$storehouse" = /* ]] || storehouse="$PWD/$storehouse"
queries="${QUERIES:-$repo/scripts/metricflow-queries.txt}"
scale="${SCALE:-0.1}"
as_of="${AS_OF:-2024-06-30}"
mf_only="${MF_ONLY:-0}"

if [[ ! -f "$queries" ]]; then
    echo "usage: $0 [STOREHOUSE_BINARY]  (queries file $queries not found)" >&2
    exit 2
fi
venv="${MF_VENV:-}"
if [[ -z "$venv" ]]; then
    venv="$("$repo/scripts/metricflow-venv.sh")" || {
        echo "skipped: MetricFlow could not be installed, so there is nothing to compare with" >&2
        exit 0
    }
fi
if [[ "$mf_only" != 1 && ! -x "$storehouse" ]]; then
    echo "error: Storehouse binary not found at $storehouse; build it (swift build) or pass its path (MF_ONLY=1 runs the MetricFlow half alone)" >&2
    exit 2
fi

if [[ -n "${KEEP:-}" ]]; then
    work="$KEEP"; mkdir -p "$work"
else
    work="$(mktemp -d "${TMPDIR:-/tmp}/compare-with-metricflow.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
fi
warehouse="$work/warehouse.duckdb"
project="$work/project"
rm -rf "$warehouse" "$warehouse.wal" "$project" "$work/mf" "$work/storehouse"
mkdir -p "$work/mf" "$work/storehouse"

echo "== raw data"
if [[ -n "${RAW_DB:-}" ]]; then
    cp "$RAW_DB" "$warehouse"
    echo "copied $RAW_DB"
else
    if [[ ! -x "$storehouse" ]]; then
        echo "error: no Storehouse binary at $storehouse to generate data with; pass RAW_DB=FILE" >&2
        exit 2
    fi
    "$storehouse" generate --scale "$scale" --as-of "$as_of" --clickstream --db "$warehouse" > "$work/generate.log" 2>&1 \
        || { tail -20 "$work/generate.log"; echo "error: storehouse generate failed (log above)" >&2; exit 1; }
    tail -1 "$work/generate.log"
fi

echo "== dbt-core + dbt-duckdb build of the analytics project"
# dbt and mf write target/ and logs/ into the project: work on a copy.
cp -R "$repo/analytics" "$project"
rm -rf "$project/target" "$project/logs"
export STOREHOUSE_DB="$warehouse" DBT_PROFILES_DIR="$project" STOREHOUSE_TARGET=dev
(cd "$project" && "$venv/bin/dbt" run --project-dir . --exclude tag:ml > "$work/dbt.log" 2>&1) \
    || { sed 's/\x1b\[[0-9;]*m//g' "$work/dbt.log" | tail -40; echo "error: dbt run failed (log above)" >&2; exit 1; }
sed 's/\x1b\[[0-9;]*m//g' "$work/dbt.log" | grep -E "Done\. PASS" || true
# mf keeps its DuckDB connection open in the one Python process that runs every query, which
# locks the file; Storehouse reads an identical copy made before any query runs.
cp "$warehouse" "$work/storehouse-copy.duckdb"

echo "== queries"
status=0
(cd "$project" && "$venv/bin/python" - "$queries" "$work" "$storehouse" "$project" "$mf_only" "${MF_PER_PROCESS:-0}" "$venv") <<'PY' || status=$?
import csv, datetime, io, math, os, re, shlex, subprocess, sys

queries_file, work, storehouse, project, mf_only, per_process, venv = sys.argv[1:8]
mf_only, per_process = mf_only == "1", per_process == "1"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

def read_queries(path):
    out = []
    for number, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        expect_error = line.startswith("!")
        out.append((number, expect_error, shlex.split(line.lstrip("!").strip())))
    return out

def to_mf(args):
    """storehouse flag spellings -> mf's (only --order-by differs: mf calls it --order)."""
    return ["--order" if a == "--order-by" else ("--order=" + a[len("--order-by="):] if a.startswith("--order-by=") else a)
            for a in args]

def order_columns(args):
    for i, a in enumerate(args):
        if a in ("--order-by", "--order") and i + 1 < len(args):
            return [c.strip().lstrip("-") for c in args[i + 1].split(",") if c.strip()]
    return []

# ---- MetricFlow -------------------------------------------------------------------------------
_runner = None
def run_mf(args, csv_path):
    """Returns (exit code, message text). Writes csv_path unless the result is empty."""
    full = ["query", *to_mf(args), "--csv", csv_path, "--quiet"]
    if per_process:
        p = subprocess.run([os.path.join(venv, "bin", "mf"), *full], capture_output=True, text=True)
        return p.returncode, ANSI.sub("", p.stdout + p.stderr)
    global _runner
    if _runner is None:
        from click.testing import CliRunner
        from dbt_metricflow.cli.main import cli
        _runner = (CliRunner(), cli)
    runner, cli = _runner
    r = runner.invoke(cli, full)
    text = ANSI.sub("", r.output)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        return 1, text + repr(r.exception)
    return r.exit_code, text

def run_storehouse(args, csv_path):
    p = subprocess.run([storehouse, "metrics", "query", *args, "--format", "csv", "--project-dir", project],
                       capture_output=True, text=True,
                       env=dict(os.environ, STOREHOUSE_DB=os.path.join(work, "storehouse-copy.duckdb")))
    with open(csv_path, "w") as f:
        f.write(p.stdout)
    return p.returncode, p.stderr.strip() or p.stdout.strip()

# ---- canonical values -------------------------------------------------------------------------
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$", re.I)
STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?))?(?:[+-]00(?::?00)?|Z| UTC)?$")

def canonical(text):
    """(kind, value): None for NULL; numbers as float; timestamps as ISO text; rest as text."""
    if text == "":
        return None
    if NUMBER.match(text):
        return ("n", float(text))
    m = STAMP.match(text)
    if m:
        day, clock = m.group(1), m.group(2)
        if clock is None or re.fullmatch(r"00:00:00(\.0+)?", clock):
            return ("t", day)
        return ("t", day + "T" + clock.rstrip("0").rstrip(".") if "." in clock else day + "T" + clock)
    if text.lower() in ("true", "false"):
        return ("b", text.lower())
    return ("s", text)

def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if a[0] != b[0]:
        return False
    if a[0] == "n":
        x, y = a[1], b[1]
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        if math.isinf(x) or math.isinf(y):
            return x == y
        return abs(x - y) <= max(1e-6, 1e-9 * max(abs(x), abs(y)))
    return a[1] == b[1]

def sort_key(row):
    return tuple((0, "") if v is None else (1, v[0], f"{v[1]:.6g}" if v[0] == "n" else v[1]) for v in row)

def read_csv(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None, []
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return (rows[0], rows[1:]) if rows else (None, [])

def describe(header, row):
    return "{" + ", ".join(f"{h}={v!r}" for h, v in zip(header, row)) + "}"

def compare(args, mf_csv, sh_csv):
    """Returns (ok, detail)."""
    mf_header, mf_rows = read_csv(mf_csv)
    sh_header, sh_rows = read_csv(sh_csv)
    if mf_header is None:  # mf writes no file for an empty result
        if sh_rows:
            return False, f"mf returned no rows; storehouse returned {len(sh_rows)}, first {describe(sh_header, sh_rows[0])}"
        return True, "0 rows"
    if sh_header is None:
        return False, f"storehouse printed no CSV; mf returned {len(mf_rows)} rows with columns {','.join(mf_header)}"
    if sorted(mf_header) != sorted(sh_header):
        return False, f"columns differ: mf {','.join(mf_header)} / storehouse {','.join(sh_header)}"
    position = [sh_header.index(h) for h in mf_header]
    sh_rows = [[r[i] if i < len(r) else "" for i in position] for r in sh_rows]
    notes = {}  # column -> first example of text that matched only after canonicalising
    column_order = "" if mf_header == sh_header else f"column order differs (mf: {','.join(mf_header)})"
    a = [[canonical(v) for v in r] for r in mf_rows]
    b = [[canonical(v) for v in r] for r in sh_rows]
    if len(a) != len(b):
        message = f"{len(mf_rows)} rows in mf, {len(sh_rows)} in storehouse"
        only_mf = first_unmatched(a, b, mf_rows, mf_header)
        only_sh = first_unmatched(b, a, sh_rows, mf_header)
        if only_mf:
            message += f"; first mf row missing from storehouse: {only_mf}"
        elif only_sh:
            message += f"; first storehouse row not in mf: {only_sh}"
        return False, message
    ia = sorted(range(len(a)), key=lambda i: sort_key(a[i]))
    ib = sorted(range(len(b)), key=lambda i: sort_key(b[i]))
    if not all(all(same(x, y) for x, y in zip(a[i], b[j])) for i, j in zip(ia, ib)):
        # The sort may pair rows badly at a rounding boundary: match greedily before calling it a DIFF.
        only_mf = first_unmatched(a, b, mf_rows, mf_header)
        only_sh = first_unmatched(b, a, sh_rows, mf_header)
        if only_mf or only_sh:
            return False, "first differing row: " + (f"mf {only_mf}" if only_mf else "") + \
                ("; " if only_mf and only_sh else "") + (f"storehouse {only_sh}" if only_sh else "")
    for i, j in zip(ia, ib):
        for h, x, y in zip(mf_header, mf_rows[i], sh_rows[j]):
            if x != y and h not in notes and same(canonical(x), canonical(y)):
                notes[h] = f"{h}: mf {x!r} vs storehouse {y!r}"
    keys = order_columns(args)
    if keys and all(k in mf_header for k in keys):
        cols = [mf_header.index(k) for k in keys]
        seq_a = [[a[r][c] for c in cols] for r in range(len(a))]
        seq_b = [[b[r][c] for c in cols] for r in range(len(b))]
        for n, (x, y) in enumerate(zip(seq_a, seq_b)):
            if not all(same(u, v) for u, v in zip(x, y)):
                return False, f"row order differs at row {n + 1}: mf {describe(keys, [mf_rows[n][c] for c in cols])} " \
                              f"vs storehouse {describe(keys, [sh_rows[n][c] for c in cols])}"
    detail = f"{len(mf_rows)} rows"
    if notes:
        examples = [notes[h] for h in mf_header if h in notes]
        detail += f"; text differs in {len(examples)} column(s), e.g. " + "; ".join(examples[:2])
    if column_order:
        detail += "; " + column_order
    return True, detail

def first_unmatched(a, b, raw, header):
    """The first row of a (shown from raw) with no equal row left in b, or None."""
    used = [False] * len(b)
    for i, row in enumerate(a):
        for j, other in enumerate(b):
            if not used[j] and all(same(x, y) for x, y in zip(row, other)):
                used[j] = True
                break
        else:
            return describe(header, raw[i])
    return None

# ---- run --------------------------------------------------------------------------------------
queries = read_queries(queries_file)
results = []
mf_out, sh_out = os.path.join(work, "mf"), os.path.join(work, "storehouse")
for n, (line, expect_error, args) in enumerate(queries, 1):
    path = os.path.join(mf_out, f"q{n:02d}.csv")
    code, text = run_mf(args, path)
    results.append([n, line, expect_error, args, path, code, text])

failures = 0
for n, line, expect_error, args, mf_csv, mf_code, mf_text in results:
    label = f"q{n:02d} (line {line})"
    shown = " ".join(shlex.quote(a) for a in args)
    mf_msg = next((l.strip() for l in mf_text.splitlines() if l.strip() and not l.startswith(("ERROR", "Error #", "  Message"))), "")
    if mf_only:
        if expect_error:
            ok = mf_code != 0
            print(f"{'MF-OK' if ok else 'MF-BAD'}  {label}: mf rejects it as expected" if ok else
                  f"MF-BAD {label}: mf accepted a query expected to fail: {shown}")
        elif mf_code != 0:
            ok = False
            print(f"MF-BAD {label}: mf failed: {mf_text.strip().splitlines()[1:4]} ({shown})")
        else:
            header, rows = read_csv(mf_csv)
            ok = True
            print(f"MF-OK  {label}: {len(rows)} rows, columns {','.join(header or [])}  ({shown})")
        failures += not ok
        continue
    sh_csv = os.path.join(sh_out, f"q{n:02d}.csv")
    sh_code, sh_text = run_storehouse(args, sh_csv)
    if expect_error:
        if mf_code != 0 and sh_code != 0:
            print(f"OK    {label}: both reject it ({shown})")
            continue
        failures += 1
        who = "storehouse accepted" if sh_code == 0 else "mf accepted"
        print(f"DIFF  {label}: {who} a query the other rejects ({shown})")
        continue
    if mf_code != 0:
        failures += 1
        print(f"ERROR {label}: mf failed (exit {mf_code}): {' '.join(mf_text.split())[:300]} ({shown})")
        continue
    if sh_code != 0:
        failures += 1
        print(f"ERROR {label}: storehouse failed (exit {sh_code}): {' '.join(sh_text.split())[:300]} ({shown})")
        continue
    ok, detail = compare(args, mf_csv, sh_csv)
    failures += not ok
    print(f"{'OK  ' if ok else 'DIFF'}  {label}: {detail}  ({shown})")

total = len(results)
if mf_only:
    print(f"{total - failures} of {total} queries run in MetricFlow as expected (storehouse side skipped: MF_ONLY=1)")
else:
    print(f"{total - failures} of {total} queries agree")
sys.exit(1 if failures else 0)
PY
exit $status
