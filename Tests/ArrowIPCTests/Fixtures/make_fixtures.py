#!/usr/bin/env python3
"""Writes small Arrow IPC stream fixtures (*.arrows) with pyarrow, plus the
expected decoded values (*.json) that the Swift tests assert.

Expected values are computed here from the Python source values, in a tagged
form mirroring ArrowValue:
  null -> null, {"bool": b}, {"int": "n"}, {"uint": "n"}, {"double": "repr"},
  {"decimal": "text"}, {"string": s}, {"binary": "hex"}, {"date": days},
  {"timestamp": "micros", "tz": tz}, {"time": "micros"}, {"list": [...]},
  {"struct": [[name, v], ...]}, {"map": [[k, v], ...]}
Temporal columns are built from raw integers so the unit conversion (floored
to microseconds / days) is computed independently of pyarrow's conversions.

Usage: make_fixtures.py [output_dir]   (default: this script's directory)
"""
import decimal
import json
import os
import struct
import sys

import pyarrow as pa

decimal.getcontext().prec = 100

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

UNIT_NAME = {"s": "s", "ms": "ms", "us": "us", "ns": "ns"}
TO_MICROS = {"s": ("mul", 1_000_000), "ms": ("mul", 1000), "us": ("mul", 1), "ns": ("div", 1000)}


def type_desc(t):
    """Our ArrowType description format (ArrowTypes.swift)."""
    if pa.types.is_null(t): return "null"
    if pa.types.is_boolean(t): return "bool"
    if pa.types.is_integer(t):
        return ("int" if pa.types.is_signed_integer(t) else "uint") + str(t.bit_width)
    if pa.types.is_float16(t): return "float16"
    if pa.types.is_float32(t): return "float"
    if pa.types.is_float64(t): return "double"
    if pa.types.is_decimal128(t): return f"decimal({t.precision},{t.scale})"
    if pa.types.is_decimal256(t): return f"decimal256({t.precision},{t.scale})"
    if pa.types.is_large_string(t): return "large_utf8"
    if pa.types.is_string(t): return "utf8"
    if pa.types.is_large_binary(t): return "large_binary"
    if pa.types.is_binary(t): return "binary"
    if pa.types.is_date32(t): return "date32"
    if pa.types.is_date64(t): return "date64"
    if pa.types.is_timestamp(t):
        return f"timestamp[{t.unit}, {t.tz}]" if t.tz is not None else f"timestamp[{t.unit}]"
    if pa.types.is_time32(t): return f"time32[{t.unit}]"
    if pa.types.is_time64(t): return f"time64[{t.unit}]"
    if pa.types.is_map(t):
        return f"map<{type_desc(t.key_type)}, {type_desc(t.item_type)}{', sorted' if t.keys_sorted else ''}>"
    if pa.types.is_large_list(t): return f"large_list<{t.value_field.name}: {type_desc(t.value_type)}>"
    if pa.types.is_fixed_size_list(t):
        return f"fixed_size_list<{t.value_field.name}: {type_desc(t.value_type)}>[{t.list_size}]"
    if pa.types.is_list(t): return f"list<{t.value_field.name}: {type_desc(t.value_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ", ".join(f"{t.field(i).name}: {type_desc(t.field(i).type)}" for i in range(t.num_fields)) + ">"
    if pa.types.is_dictionary(t): return type_desc(t.value_type)
    raise ValueError(f"no description for {t}")


def expect(v, t):
    """Expected tagged value for Python source value v of pyarrow type t."""
    if v is None: return None
    if pa.types.is_dictionary(t): return expect(v, t.value_type)
    if pa.types.is_boolean(t): return {"bool": v}
    if pa.types.is_integer(t):
        return {"int" if pa.types.is_signed_integer(t) else "uint": str(v)}
    if pa.types.is_floating(t):
        fmt = {16: "<e", 32: "<f", 64: "<d"}[t.bit_width]
        return {"double": repr(struct.unpack(fmt, struct.pack(fmt, float(v)))[0])}
    if pa.types.is_decimal(t):
        d = decimal.Decimal(v).quantize(decimal.Decimal(1).scaleb(-t.scale))
        return {"decimal": format(d, "f")}
    if pa.types.is_string(t) or pa.types.is_large_string(t): return {"string": v}
    if pa.types.is_binary(t) or pa.types.is_large_binary(t): return {"binary": v.hex()}
    if pa.types.is_date32(t): return {"date": v}
    if pa.types.is_date64(t): return {"date": v // 86_400_000}
    if pa.types.is_timestamp(t) or pa.types.is_time(t):
        op, k = TO_MICROS[t.unit]
        micros = v * k if op == "mul" else v // k
        if pa.types.is_time(t): return {"time": str(micros)}
        return {"timestamp": str(micros), "tz": t.tz}
    if pa.types.is_map(t):
        return {"map": [[expect(k, t.key_type), expect(x, t.item_type)] for k, x in v]}
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return {"list": [expect(x, t.value_type) for x in v]}
    if pa.types.is_struct(t):
        return {"struct": [[t.field(i).name, expect(v.get(t.field(i).name), t.field(i).type)] for i in range(t.num_fields)]}
    raise ValueError(f"no expectation for {t}")


def make_array(values, t):
    """Builds an array; temporal types are built from raw integers."""
    if pa.types.is_date64(t) or pa.types.is_timestamp(t) or pa.types.is_time(t) or pa.types.is_date32(t):
        storage = pa.int32() if (pa.types.is_date32(t) or pa.types.is_time32(t)) else pa.int64()
        return pa.array(values, storage).view(t)
    if pa.types.is_decimal(t):
        return pa.array([None if v is None else decimal.Decimal(v) for v in values], t)
    if pa.types.is_dictionary(t):
        return pa.array(values, t.value_type).dictionary_encode()
    return pa.array(values, t)


def write(name, columns, batches, options=None):
    """columns: [(name, type, nullable)]; batches: list of per-column value lists."""
    fields = [pa.field(n, t, nullable=nl) for n, t, nl in columns]
    schema = pa.schema(fields)
    record_batches = []
    for values in batches:
        arrays = [make_array(v, f.type) for v, f in zip(values, fields)]
        record_batches.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema, options=options) as w:
        for rb in record_batches:
            w.write_batch(rb)
    data = sink.getvalue().to_pybytes()
    with open(os.path.join(OUT, name + ".arrows"), "wb") as f:
        f.write(data)
    expected = {
        "schema": [{"name": n, "type": type_desc(t), "nullable": nl} for n, t, nl in columns],
        "batches": [{"rows": len(values[0]) if values else 0,
                     "columns": [[expect(x, f.type) for x in v] for v, f in zip(values, fields)]}
                    for values in batches],
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
    return data


def write_error(name, data, message):
    with open(os.path.join(OUT, name + ".arrows"), "wb") as f:
        f.write(data)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"error": message}, f, indent=1)


I64_MIN, I64_MAX = -(2**63), 2**63 - 1

write("primitives", [
    ("b", pa.bool_(), True), ("i8", pa.int8(), True), ("i16", pa.int16(), True),
    ("i32", pa.int32(), True), ("i64", pa.int64(), False), ("u8", pa.uint8(), True),
    ("u16", pa.uint16(), True), ("u32", pa.uint32(), True), ("u64", pa.uint64(), True),
    ("f16", pa.float16(), True), ("f32", pa.float32(), True), ("f64", pa.float64(), True),
    ("nothing", pa.null(), True),
], [[
    [True, None, False, True, False, True, None, True, False],
    [-128, 127, None, 0, -1, 5, 6, 7, 8],
    [-32768, 32767, None, 0, -1, 1, 2, 3, 4],
    [-2**31, 2**31 - 1, None, 0, -1, 1, 2, 3, 4],
    [I64_MIN, I64_MAX, 0, -1, 1, 42, -42, 10**18, -(10**18)],
    [0, 255, None, 1, 2, 3, 4, 5, 6],
    [0, 65535, None, 1, 2, 3, 4, 5, 6],
    [0, 2**32 - 1, None, 1, 2, 3, 4, 5, 6],
    [0, 2**64 - 1, None, 2**63, 1, 2, 3, 4, 5],
    [1.5, -2.0, None, 0.0, 65504.0, float("inf"), 0.000061035156, 5.960464477539063e-08, -0.5],
    [1.5, -2.25, None, 3.4028234663852886e+38, 1e-45, float("-inf"), 0.1, 7.0, 8.0],
    [1.5, -2.25, None, 1.7976931348623157e+308, 5e-324, float("inf"), 0.1, -0.0, 1e100],
    [None] * 9,
]])

write("strings", [
    ("s", pa.string(), True), ("ls", pa.large_string(), True),
    ("bin", pa.binary(), True), ("lbin", pa.large_binary(), True),
], [[
    ["hello", "", None, "héllo wörld", "日本語テキスト", "emoji 🎉🚀", "a\u0000b", "x" * 100],
    ["large", "", None, "ünïcödé", "", None, "z", "end"],
    [b"\x00\x01\xff", b"", None, b"abc", b"\xde\xad\xbe\xef", None, b"\x00", b"x"],
    [b"big", None, b"", b"\xff" * 20, b"q", b"", None, b"\x7f"],
]])

write("decimals", [
    ("price", pa.decimal128(12, 2), True),
    ("wide", pa.decimal128(38, 10), True),
    ("whole", pa.decimal128(5, 0), True),
    ("d256", pa.decimal256(50, 5), True),
], [[
    ["-12.50", "0.01", None, "-0.01", "1234567890.12", "-9999999999.99", "0.00", "12.00"],
    ["9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999",
     "0.0000000001", "-0.0000000001", None, "0", "12345678901234567890.12", "-1.5"],
    ["99999", "-99999", "0", None, "1", "-1", "100", "42"],
    ["123456789012345678901234567890123456789012345.12345", "-1.00001", None, "0.00000",
     "-123456789012345678901234567890123456789012345.12345", "7", "-0.5", "1"],
]])

DAY_MS = 86_400_000
write("temporal", [
    ("d32", pa.date32(), True), ("d64", pa.date64(), True),
    ("ts_s", pa.timestamp("s"), True), ("ts_ms_utc", pa.timestamp("ms", tz="UTC"), True),
    ("ts_us", pa.timestamp("us"), True), ("ts_us_tz", pa.timestamp("us", tz="America/Los_Angeles"), True),
    ("ts_ns", pa.timestamp("ns"), True), ("ts_ns_tz", pa.timestamp("ns", tz="+01:00"), True),
    ("t32s", pa.time32("s"), True), ("t32ms", pa.time32("ms"), True),
    ("t64us", pa.time64("us"), True), ("t64ns", pa.time64("ns"), True),
], [[
    [0, 19000, None, -1, -719162, 2932896],
    [0, 19000 * DAY_MS, None, -DAY_MS, -719162 * DAY_MS, 2932896 * DAY_MS],
    [0, 1_700_000_000, None, -1, -62135596800, 253402300799],
    [0, 1_700_000_000_123, None, -1, -62135596800000, 253402300799999],
    [0, 1_700_000_000_123_456, None, -1, I64_MIN + 1, I64_MAX],
    [0, 1_700_000_000_123_456, None, -1, 1, 2],
    [0, 1_700_000_000_123_456_789, None, -1, -1500, I64_MIN],
    [0, 1_700_000_000_123_456_789, None, 999, -1001, I64_MAX],
    [0, 86399, None, 1, 3600, 45296],
    [0, 86_399_999, None, 1, 3_600_000, 45_296_789],
    [0, 86_399_999_999, None, 1, 3_600_000_000, 45_296_789_012],
    [0, 86_399_999_999_999, None, 1, 1999, 45_296_789_012_345],
]])

write("nested", [
    ("li", pa.list_(pa.int64()), True),
    ("st", pa.struct([("a", pa.int32()), ("b", pa.string())]), True),
    ("mp", pa.map_(pa.string(), pa.int32()), True),
    ("lls", pa.large_list(pa.large_string()), True),
    ("fsl", pa.list_(pa.int32(), 2), True),
    ("lst", pa.list_(pa.struct([("x", pa.float64()), ("tags", pa.list_(pa.string()))])), True),
], [[
    [[1, 2, 3], [], None, [None, -5], [2**62], [0]],
    [{"a": 1, "b": "one"}, None, {"a": None, "b": "x"}, {"a": -7, "b": None}, {"a": 0, "b": ""}, {"a": 2, "b": "ü"}],
    [[("a", 1), ("b", None)], [], None, [("k", -3)], [("", 0), ("z", 2**31 - 1)], [("dup", 1), ("dup", 2)]],
    [["x", None], None, [], ["long"], [""], ["a", "b", "c"]],
    [[1, 2], None, [3, None], [0, 0], [-1, -2], [5, 6]],
    [[{"x": 1.5, "tags": ["a"]}], None, [], [None, {"x": None, "tags": None}], [{"x": -0.5, "tags": []}], [{"x": 2.0, "tags": ["p", "q"]}]],
]])

write("multi_batch", [("id", pa.int64(), False), ("name", pa.string(), True)], [
    [[1, 2, 3], ["a", None, "c"]],
    [[], []],
    [[4], ["d"]],
    [[5, 6], [None, "ff"]],
])

write("zero_rows", [("id", pa.int64(), True), ("name", pa.string(), True), ("li", pa.list_(pa.int32()), True)],
      [[[], [], []]])

write("schema_only", [("id", pa.int64(), True)], [])

write("dictionary", [("color", pa.dictionary(pa.int32(), pa.string()), True), ("n", pa.int16(), True)], [
    [["red", "green", None, "red", "blue"], [1, 2, 3, None, 5]],
])

write("legacy_format", [("v", pa.int32(), True), ("s", pa.string(), True)],
      [[[1, None, 3], ["x", "y", None]]], options=pa.ipc.IpcWriteOptions(use_legacy_format=True))

# A sliced batch: pyarrow may write list offsets that do not start at zero.
full = pa.RecordBatch.from_arrays([pa.array([[1], [2, 3], [4, 5, 6], None, [7]], pa.list_(pa.int32())),
                                   pa.array(["p", "q", "r", "s", "t"])], names=["li", "s"])
sliced = full.slice(1, 3)
sink = pa.BufferOutputStream()
with pa.ipc.new_stream(sink, sliced.schema) as w:
    w.write_batch(sliced)
with open(os.path.join(OUT, "sliced.arrows"), "wb") as f:
    f.write(sink.getvalue().to_pybytes())
with open(os.path.join(OUT, "sliced.json"), "w") as f:
    json.dump({"schema": [{"name": "li", "type": "list<item: int32>", "nullable": True},
                          {"name": "s", "type": "utf8", "nullable": True}],
               "batches": [{"rows": 3, "columns": [
                   [expect(v, pa.list_(pa.int32())) for v in [[2, 3], [4, 5, 6], None]],
                   [expect(v, pa.string()) for v in ["q", "r", "s"]]]}]}, f, indent=1)

# Streams the reader must reject with a clear error.
sink = pa.BufferOutputStream()
dur = pa.RecordBatch.from_arrays([pa.array([1, 2]), pa.array([1, 2], pa.duration("s"))], names=["ok", "elapsed"])
with pa.ipc.new_stream(sink, dur.schema) as w:
    w.write_batch(dur)
write_error("unsupported_duration", sink.getvalue().to_pybytes(),
            "Arrow stream: schema field 'elapsed': unsupported type Duration")

sink = pa.BufferOutputStream()
comp = pa.RecordBatch.from_arrays([pa.array(list(range(100)))], names=["n"])
with pa.ipc.new_stream(sink, comp.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as w:
    w.write_batch(comp)
write_error("compressed_zstd", sink.getvalue().to_pybytes(),
            "Arrow stream: record batch 0: body is compressed with ZSTD; compressed IPC streams are not supported")

print("fixtures written to", OUT)
