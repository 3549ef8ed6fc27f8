"""Registers the generated Parquet files (one per raw table) as tables of schema raw in the
metastore of dbt-spark's session (Hive support, a Derby metastore in the current folder), so
`dbt build` with method: session finds its sources. Usage: spark_raw_tables.py RAW_DIR WAREHOUSE_DIR"""
import os
import sys

from pyspark.sql import SparkSession

raw_dir, warehouse = sys.argv[1], sys.argv[2]
spark = (SparkSession.builder.master("local[2]").enableHiveSupport()
         .config("spark.sql.warehouse.dir", warehouse).config("spark.ui.enabled", "false")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
spark.sql("create schema if not exists raw")
for name in sorted(os.listdir(raw_dir)):
    if name.endswith(".parquet"):
        table = name[: -len(".parquet")]
        spark.read.parquet(os.path.join(raw_dir, name)).write.mode("overwrite").saveAsTable(f"raw.{table}")
        print(table, spark.table(f"raw.{table}").count())
spark.stop()
