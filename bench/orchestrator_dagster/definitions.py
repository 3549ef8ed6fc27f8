"""The Dagster side of bench/orchestrator_vs_dagster.sh: the same trivial job as the Storehouse
side (one step that builds a one-row table `trivial` = `select 1 as x` in a DuckDB file), started
by a sensor that watches a landing folder for `*.csv` files, one run per new file.

Two sensors target the job, each on its own folder, so that one `dagster dev` measures both:

- `landing_default` leaves `minimum_interval_seconds` unset (Dagster's default, 30 s);
- `landing_fast` sets `minimum_interval_seconds=1`.

Both are RUNNING from the start (`default_status`), as Storehouse's sensors are. Everything else is
what `dagster dev` does by default: the QueuedRunCoordinator, the DefaultRunLauncher (a process per
run) and the job's default executor. The bench sets:

    BENCH_DAGSTER_DUCKDB    the DuckDB file the op writes
    BENCH_DAGSTER_LANDING   the folder holding `default/` and `fast/`, the sensors' landing folders
"""
import os

import duckdb
from dagster import DefaultSensorStatus, Definitions, RunRequest, SensorEvaluationContext, job, op, sensor

DUCKDB_PATH = os.environ.get("BENCH_DAGSTER_DUCKDB", "bench.duckdb")
LANDING = os.environ.get("BENCH_DAGSTER_LANDING", "landing")


@op
def trivial() -> None:
    """Builds the one-row model, as `storehouse run --select trivial` does."""
    con = duckdb.connect(DUCKDB_PATH)
    try:
        con.execute("create or replace table trivial as select 1 as x")
    finally:
        con.close()


@job
def on_landing() -> None:
    trivial()


def landing_sensor(name: str, folder: str, minimum_interval_seconds: int | None):
    """One run per `*.csv` file in `folder`; the run key (name + mtime) makes Dagster skip files
    it has already started a run for."""
    interval = {} if minimum_interval_seconds is None else {"minimum_interval_seconds": minimum_interval_seconds}

    @sensor(name=name, job=on_landing, default_status=DefaultSensorStatus.RUNNING, **interval)
    def _sensor(context: SensorEvaluationContext):
        try:
            entries = [e for e in os.scandir(folder) if e.is_file() and e.name.endswith(".csv")]
        except FileNotFoundError:
            return
        for entry in sorted(entries, key=lambda e: e.name):
            yield RunRequest(
                run_key=f"{entry.name}:{entry.stat().st_mtime_ns}",
                tags={"bench/file": entry.name, "bench/sensor": name},
            )

    return _sensor


defs = Definitions(
    jobs=[on_landing],
    sensors=[
        landing_sensor("landing_default", os.path.join(LANDING, "default"), None),
        landing_sensor("landing_fast", os.path.join(LANDING, "fast"), 1),
    ],
)
