"""Reads a `storehouse export` folder back with Apache Spark and compares each table with the
warehouse it came from: row counts, and every row as a multiset (values canonicalised: floats to
12 significant digits, decimals as floats, timestamps as UTC without zone).

    python export_spark_check.py WAREHOUSE.duckdb LAKE_DIR [LAKE_DIR …]
"""
import collections
import datetime
import decimal
import json
import os
import sys

import duckdb


def canonical(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (float, decimal.Decimal)):
        return float(f"{float(value):.12g}")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(canonical(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, canonical(v)) for k, v in value.items()))
    return value


def main():
    warehouse, lakes = sys.argv[1], sys.argv[2:]
    try:
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.master("local[2]").appName("storehouse-export-check")
                 .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    except Exception as error:  # Java missing, no room for the JVM …
        print(f"skipped: Spark could not start ({error.__class__.__name__}: {error})", file=sys.stderr)
        return 0
    spark.sparkContext.setLogLevel("ERROR")
    db = duckdb.connect(warehouse, read_only=True)
    failures = 0
    checked = 0
    for lake in lakes:
        manifest = json.load(open(os.path.join(lake, "_manifest.json")))
        for relation, table in sorted(manifest["tables"].items()):
            columns = [c["name"] for c in table["columns"]]
            quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
            schema, name = relation.split(".", 1)
            expected = collections.Counter(
                tuple(canonical(v) for v in row) for row in db.execute(f'select {quoted} from "{schema}"."{name}"').fetchall())
            frame = spark.read.parquet(os.path.join(lake, table["path"]))
            got = collections.Counter(
                tuple(canonical(row[c]) for c in columns) for row in frame.select(*columns).collect())
            partitions = f" (partitioned by {', '.join(table['partition_by'])})" if table["partition_by"] else ""
            if got == expected and sum(got.values()) == table["rows"]:
                print(f"same    {relation}{partitions}: {table['rows']} rows in {len(table['files'])} files")
            else:
                failures += 1
                missing = expected - got
                extra = got - expected
                print(f"DIFFERS {relation}{partitions}: warehouse {sum(expected.values())} rows, Spark {sum(got.values())}, "
                      f"manifest {table['rows']}; {sum(missing.values())} rows missing in Spark, {sum(extra.values())} extra")
                for row in list(missing)[:2]:
                    print(f"    missing: {row}")
                for row in list(extra)[:2]:
                    print(f"    extra:   {row}")
            checked += 1
    spark.stop()
    print(f"{checked - failures} of {checked} exported tables read back by Spark equal the warehouse's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
