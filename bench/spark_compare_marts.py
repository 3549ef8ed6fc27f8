"""Compares every mart Storehouse built on the Spark Connect server with the same mart dbt-spark
wrote as Parquet: row counts and every row as canonical text (numbers to 9 significant digits,
timestamps in UTC), order-independent. Usage: spark_compare_marts.py SC_URL DBT_WAREHOUSE_DIR SCHEMA"""
import datetime
import decimal
import os
import sys

from pyspark.sql import SparkSession

url, dbt_warehouse, schema = sys.argv[1], sys.argv[2], sys.argv[3]
spark = SparkSession.builder.remote(url).getOrCreate()
spark.conf.set("spark.sql.session.timeZone", "UTC")


def canonical(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, decimal.Decimal)):
        number = float(value)
        return str(int(number)) if number == round(number) and abs(number) < 1e15 else f"{number:.9g}"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return str(value)


def rows(frame):
    return sorted("|".join(canonical(v) for v in row) for row in frame.collect())


folder = os.path.join(dbt_warehouse, f"{schema}.db")
tables = sorted(os.listdir(folder))
different = 0
for table in tables:
    ours = rows(spark.table(f"`{schema}`.`{table}`"))
    theirs = rows(spark.read.parquet(os.path.join(folder, table)).select(*spark.table(f"`{schema}`.`{table}`").columns))
    if ours != theirs:
        different += 1
        print(f"  {schema}.{table}: differs ({len(ours)} rows ours, {len(theirs)} dbt's); e.g. ours {sorted(set(ours) - set(theirs))[:1]}, dbt's {sorted(set(theirs) - set(ours))[:1]}")
print(f"{'marts compared (Storehouse vs dbt-spark)':<52}{len(tables) - different} of {len(tables)} identical")
sys.exit(1 if different else 0)
