#!/usr/bin/env python3
"""Generates Sources/WarehouseSpark/Protocol/SparkConnect.pb.swift: the part of Spark Connect's
published protocol (package spark.connect) that Storehouse's Spark client speaks.

The protocol's own definitions come from PyPI's pyspark (the descriptors its generated modules
carry), so they are exactly what a Spark Connect server of that version serves. The full protocol
is ~38,000 lines of generated Swift; a client needs a small part of it. This script keeps the
messages named in KEEP (with only the listed fields) and what they reference, drops every other
message and field, and runs protoc with swift-protobuf's plugin on the result. Field numbers and
names are untouched, so the messages are wire-identical to the full protocol's; a field the
server sends that the subset does not declare is kept as an unknown field and ignored.

Run once per protocol change (the output is committed; builds never run protoc):

    python3 -m venv ~/.cache/storehouse/spark-venv && ~/.cache/storehouse/spark-venv/bin/pip install 'pyspark[connect]==4.3.0'
    apt-get install protobuf-compiler        # protoc
    swift build -c release --product protoc-gen-swift   # in a checkout of apple/swift-protobuf 1.39.0
    ~/.cache/storehouse/spark-venv/bin/python scripts/spark-connect-protocol.py PATH/TO/protoc-gen-swift
"""
import importlib
import os
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

# message -> the fields kept (None: every field). Everything a kept field references is kept too.
KEEP = {
    "spark.connect.ExecutePlanRequest": ["session_id", "client_observed_server_side_session_id", "user_context",
                                         "operation_id", "plan", "client_type", "tags"],
    "spark.connect.UserContext": ["user_id", "user_name"],
    "spark.connect.Plan": ["root", "command"],
    "spark.connect.Relation": ["common", "sql", "local_relation"],
    "spark.connect.RelationCommon": ["plan_id"],
    "spark.connect.SQL": ["query", "named_arguments"],
    "spark.connect.LocalRelation": None,
    "spark.connect.Command": ["sql_command", "write_operation"],
    "spark.connect.SqlCommand": ["input"],
    "spark.connect.WriteOperation": ["input", "source", "table", "mode"],
    "spark.connect.WriteOperation.SaveTable": None,
    "spark.connect.Expression": ["literal"],
    "spark.connect.Expression.Literal": ["null", "binary", "boolean", "integer", "long", "double", "decimal",
                                         "string", "date", "timestamp", "timestamp_ntz"],
    "spark.connect.Expression.Literal.Decimal": None,
    "spark.connect.DataType": ["null", "binary", "boolean", "integer", "long", "double", "string", "date",
                               "timestamp", "timestamp_ntz", "decimal"],
    "spark.connect.DataType.NULL": None, "spark.connect.DataType.Binary": None,
    "spark.connect.DataType.Boolean": None, "spark.connect.DataType.Integer": None,
    "spark.connect.DataType.Long": None, "spark.connect.DataType.Double": None,
    "spark.connect.DataType.Date": None, "spark.connect.DataType.Timestamp": None,
    "spark.connect.DataType.TimestampNTZ": None, "spark.connect.DataType.Decimal": None,
    "spark.connect.DataType.String": ["type_variation_reference", "collation"],
    "spark.connect.ExecutePlanResponse": ["session_id", "server_side_session_id", "operation_id", "response_id",
                                          "arrow_batch", "sql_command_result", "result_complete"],
    "spark.connect.ExecutePlanResponse.ArrowBatch": None,
    "spark.connect.ExecutePlanResponse.SqlCommandResult": None,
    "spark.connect.ExecutePlanResponse.ResultComplete": None,
    "spark.connect.InterruptRequest": ["session_id", "client_observed_server_side_session_id", "user_context",
                                       "client_type", "interrupt_type", "operation_id"],
    "spark.connect.InterruptResponse": ["session_id", "server_side_session_id", "interrupted_ids"],
    "spark.connect.ReleaseSessionRequest": ["session_id", "user_context", "client_type"],
    "spark.connect.ReleaseSessionResponse": ["session_id", "server_side_session_id"],
}
MODULES = ["common", "types", "expressions", "relations", "commands", "catalog", "ml_common", "ml", "pipelines", "base"]


def main():
    plugin = sys.argv[1] if len(sys.argv) > 1 else "protoc-gen-swift"
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "WarehouseSpark", "Protocol")
    files = {}
    for name in MODULES:
        module = importlib.import_module(f"pyspark.sql.connect.proto.{name}_pb2")
        proto = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(proto)
        files[proto.name] = proto

    messages, enums = {}, {}

    def index(prefix, message_list, enum_list):
        for enum in enum_list:
            enums[f"{prefix}.{enum.name}"] = enum
        for message in message_list:
            full = f"{prefix}.{message.name}"
            messages[full] = message
            index(full, message.nested_type, message.enum_type)

    for proto in files.values():
        index(proto.package, proto.message_type, proto.enum_type)

    kept, kept_enums, queue = set(), set(), list(KEEP)
    while queue:
        name = queue.pop()
        if name in kept:
            continue
        kept.add(name)
        message = messages[name]
        if message.options.map_entry:
            KEEP.setdefault(name, None)
        wanted = KEEP.get(name)
        if name not in KEEP:
            raise SystemExit(f"{name} is referenced by a kept field but not listed in KEEP")
        for field in message.field:
            if wanted is not None and field.name not in wanted:
                continue
            target = field.type_name.lstrip(".")
            if field.type == descriptor_pb2.FieldDescriptorProto.TYPE_ENUM:
                kept_enums.add(target)
            elif target:
                if target.startswith("google.protobuf"):
                    raise SystemExit(f"{name}.{field.name} needs {target}; leave it out of KEEP")
                if messages[target].options.map_entry:
                    KEEP.setdefault(target, None)
                queue.append(target)
        missing = set(wanted or []) - {f.name for f in message.field}
        if missing:
            raise SystemExit(f"{name} has no field(s) {sorted(missing)}")

    def prune(prefix, message_list, enum_list):
        keep_enums = [e for e in enum_list if f"{prefix}.{e.name}" in kept_enums]
        del enum_list[:]
        enum_list.extend(keep_enums)
        survivors = []
        for message in message_list:
            full = f"{prefix}.{message.name}"
            if full not in kept:
                continue
            wanted = KEEP.get(full)
            fields = [f for f in message.field if wanted is None or f.name in wanted]
            del message.field[:]
            message.field.extend(fields)
            used_oneofs = sorted({f.oneof_index for f in fields if f.HasField("oneof_index")})
            renumber = {old: new for new, old in enumerate(used_oneofs)}
            oneofs = [message.oneof_decl[i] for i in used_oneofs]
            del message.oneof_decl[:]
            message.oneof_decl.extend(oneofs)
            for f in message.field:
                if f.HasField("oneof_index"):
                    f.oneof_index = renumber[f.oneof_index]
            del message.extension_range[:]
            prune(full, message.nested_type, message.enum_type)
            survivors.append(message)
        del message_list[:]
        message_list.extend(survivors)

    subset = descriptor_pb2.FileDescriptorProto(name="spark/connect/storehouse_client.proto", package="spark.connect",
                                                syntax="proto3")
    subset.options.java_package = "org.apache.spark.connect.proto"
    for proto in files.values():
        prune(proto.package, proto.message_type, proto.enum_type)
        subset.message_type.extend(proto.message_type)
        subset.enum_type.extend(proto.enum_type)
    with tempfile.TemporaryDirectory() as tmp:
        descriptor_set = os.path.join(tmp, "subset.pb")
        with open(descriptor_set, "wb") as f:
            f.write(descriptor_pb2.FileDescriptorSet(file=[subset]).SerializeToString())
        subprocess.run(["protoc", f"--plugin=protoc-gen-swift={plugin}", f"--descriptor_set_in={descriptor_set}",
                        f"--swift_out={tmp}", "--swift_opt=Visibility=Package", subset.name], check=True)
        generated = open(os.path.join(tmp, "spark/connect/storehouse_client.pb.swift")).read()
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, "SparkConnect.pb.swift")
    header = ("// Generated by scripts/spark-connect-protocol.py from pyspark "
              f"{importlib.import_module('pyspark').__version__}'s Spark Connect descriptors: do not edit.\n")
    with open(target, "w") as f:
        f.write(header + generated)
    print(f"{target}: {len(kept)} messages, {len(kept_enums)} enums, {generated.count(chr(10))} lines")


if __name__ == "__main__":
    main()
