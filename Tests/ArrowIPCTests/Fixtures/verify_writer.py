#!/usr/bin/env python3
"""Reads streams written by the Swift ArrowStreamWriter with pyarrow and checks
schema and values (expected values are hard-coded here, mirroring
WriterSamples in WriterTests.swift).

Usage:
  ARROW_WRITER_OUT=/tmp/arrow-writer-out swift test --filter WriterTests
  verify_writer.py /tmp/arrow-writer-out
Exits non-zero on the first mismatch.
"""
import decimal
import os
import struct
import sys

import pyarrow as pa

DIR = sys.argv[1] if len(sys.argv) > 1 else "/tmp/arrow-writer-out"
failures = []


def read(name):
    with open(os.path.join(DIR, name + ".arrows"), "rb") as f:
        reader = pa.ipc.open_stream(f.read())
        batches = list(reader)
    for b in batches:
        b.validate(full=True)
    return reader.schema, batches


def check(what, actual, expected):
    if actual != expected:
        failures.append(f"{what}: got {actual!r}, expected {expected!r}")


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


# all_types.arrows
schema, batches = read("all_types")
MAX38 = "9999999999999999999999999999.9999999999"
expected_schema = pa.schema([
    pa.field("b", pa.bool_()), pa.field("i8", pa.int8(), nullable=False), pa.field("i16", pa.int16()),
    pa.field("i32", pa.int32()), pa.field("i64", pa.int64()), pa.field("f32", pa.float32()),
    pa.field("f64", pa.float64()), pa.field("s", pa.string()), pa.field("bin", pa.binary()),
    pa.field("d32", pa.date32()), pa.field("ts_utc", pa.timestamp("us", tz="UTC")),
    pa.field("ts_ntz", pa.timestamp("us")), pa.field("price", pa.decimal128(12, 2)),
    pa.field("wide", pa.decimal128(38, 10), nullable=False), pa.field("no_nulls", pa.int64()),
    pa.field("all_null", pa.string()),
])
check("all_types schema", schema, expected_schema)
check("all_types batches", len(batches), 1)
rb = batches[0]
check("all_types rows", rb.num_rows, 5)
expected = {
    "b": [True, None, True, False, True],
    "i8": [-128, 0, 127, 5, 1],
    "i16": [-32768, 32767, None, 1, 2],
    "i32": [-2**31, 2**31 - 1, 0, None, 7],
    "i64": [-2**63, None, 0, -1, 42],
    "f32": [1.5, -2.25, None, float("inf"), f32(0.1)],
    "f64": [1.5, -0.0, 1e300, float("-inf"), None],
    "s": ["hello", "", "日本語🎉", "x", None],
    "bin": [b"\x00\x01\xff", b"", None, b"\x01", b"\x02"],
    "d32": [0, None, -1, -719162, 2932896],
    "ts_utc": [0, 1_700_000_000_123_456, -1, None, 42],
    "ts_ntz": [-62_135_596_800_000_000, 253_402_300_799_999_999, 0, 1, -1],
    "price": ["-12.50", "0.01", "1234567890.12", None, "-0.50"],
    "wide": [MAX38, "-" + MAX38, "0E-10", "1E-10", "-1E-10"],
    "no_nulls": [10, 20, 30, 40, 50],
    "all_null": [None] * 5,
}
for name, values in expected.items():
    col = rb.column(name)
    t = col.type
    if pa.types.is_date32(t) or pa.types.is_timestamp(t):
        actual = col.view(pa.int32() if pa.types.is_date32(t) else pa.int64()).to_pylist()
    elif pa.types.is_decimal(t):
        actual = col.to_pylist()
        values = [None if v is None else decimal.Decimal(v) for v in values]
        # Decimal equality ignores representation, so compare exact text too.
        check(f"all_types {name} text", [None if v is None else format(v, "f") for v in actual],
              [None if v is None else format(v, "f") for v in values])
    else:
        actual = col.to_pylist()
    check(f"all_types {name}", actual, values)
    if name == "f64":
        check("f64 -0.0 sign", str(actual[1]), "-0.0")
check("all_types null counts", [rb.column(i).null_count for i in range(rb.num_columns)],
      [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 5])

# many.arrows
schema, batches = read("many")
check("many schema", schema, pa.schema([pa.field("id", pa.int64()), pa.field("label", pa.string())]))
rb = batches[0]
check("many ids", rb.column("id").to_pylist(), [None if i % 7 == 3 else i * i - 500 for i in range(1000)])
check("many labels", rb.column("label").to_pylist(), [f"row {i} " + "é" * (i % 5) for i in range(1000)])

# empty.arrows
schema, batches = read("empty")
check("empty schema", schema, pa.schema([pa.field("a", pa.int32()), pa.field("s", pa.string())]))
check("empty rows", [b.num_rows for b in batches], [0])

# schema_all_types.arrows
schema, batches = read("schema_all_types")
check("schema_all_types schema", schema, pa.schema([
    pa.field("n", pa.null()), pa.field("u16", pa.uint16()), pa.field("f16", pa.float16()),
    pa.field("d256", pa.decimal256(60, 4)), pa.field("ls", pa.large_string()),
    pa.field("lb", pa.large_binary()), pa.field("d64", pa.date64()),
    pa.field("ts_ns", pa.timestamp("ns", tz="Europe/Paris")), pa.field("t32", pa.time32("ms")),
    pa.field("t64", pa.time64("ns")), pa.field("li", pa.list_(pa.int64())),
    pa.field("lli", pa.large_list(pa.string())), pa.field("fsl", pa.list_(pa.float32(), 3)),
    pa.field("st", pa.struct([pa.field("a", pa.int32()), pa.field("b", pa.string(), nullable=False)])),
    pa.field("mp", pa.map_(pa.string(), pa.int32())),
]))
check("schema_all_types batches", len(batches), 0)

if failures:
    print("verify_writer: FAILED")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print(f"verify_writer: OK ({DIR}: all_types, many, empty, schema_all_types)")
