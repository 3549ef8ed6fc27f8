import Foundation
import XCTest
@testable import ArrowIPC

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".arrows")))
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".arrows") }
            .map { String($0.dropLast(".arrows".count)) }
            .sorted()
    }

    /// Converts a tagged expected value (see make_fixtures.py) into an ArrowValue.
    static func value(_ any: Any) throws -> ArrowValue {
        if any is NSNull { return .null }
        let d = try XCTUnwrap(any as? [String: Any], "bad expected value \(any)")
        if let b = d["bool"] as? Bool { return .bool(b) }
        if let s = d["int"] as? String { return .int(try XCTUnwrap(Int64(s))) }
        if let s = d["uint"] as? String { return .uint(try XCTUnwrap(UInt64(s))) }
        if let s = d["double"] as? String { return .double(try XCTUnwrap(Double(s), "double \(s)")) }
        if let s = d["decimal"] as? String { return .decimal(s) }
        if let s = d["string"] as? String { return .string(s) }
        if let s = d["binary"] as? String { return .binary(hex(s)) }
        if let n = d["date"] as? NSNumber { return .date(days: n.int32Value) }
        if let s = d["timestamp"] as? String {
            return .timestamp(micros: try XCTUnwrap(Int64(s)), timezone: d["tz"] as? String)
        }
        if let s = d["time"] as? String { return .time(micros: try XCTUnwrap(Int64(s))) }
        if let l = d["list"] as? [Any] { return .list(try l.map(value)) }
        if let l = d["struct"] as? [[Any]] {
            return .structValue(names: l.map { $0[0] as! String }, values: try l.map { try value($0[1]) })
        }
        if let l = d["map"] as? [[Any]] {
            return .map(keys: try l.map { try value($0[0]) }, values: try l.map { try value($0[1]) })
        }
        throw ArrowError("unknown expected value \(d)")
    }

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = s.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return out
    }

    /// Reads fixture `name` and asserts schema, row counts and every value against its JSON.
    static func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try json(name)
        let data = try bytes(name)
        if let message = expected["error"] as? String {
            XCTAssertThrowsError(try ArrowStreamReader.read(data), name, file: file, line: line) { error in
                XCTAssertEqual((error as? ArrowError)?.message, message, name, file: file, line: line)
            }
            return
        }
        let (schema, batches) = try ArrowStreamReader.read(Data(data))
        let fields = try XCTUnwrap(expected["schema"] as? [[String: Any]])
        XCTAssertEqual(schema.fields.count, fields.count, "\(name): field count", file: file, line: line)
        for (f, e) in zip(schema.fields, fields) {
            XCTAssertEqual(f.name, e["name"] as? String, "\(name): field name", file: file, line: line)
            XCTAssertEqual(f.type.description, e["type"] as? String, "\(name): type of \(f.name)", file: file, line: line)
            XCTAssertEqual(f.nullable, e["nullable"] as? Bool, "\(name): nullability of \(f.name)", file: file, line: line)
        }
        let expectedBatches = try XCTUnwrap(expected["batches"] as? [[String: Any]])
        XCTAssertEqual(batches.count, expectedBatches.count, "\(name): batch count", file: file, line: line)
        var checked = 0
        for (bi, (batch, eb)) in zip(batches, expectedBatches).enumerated() {
            XCTAssertEqual(batch.rowCount, eb["rows"] as? Int, "\(name): rows of batch \(bi)", file: file, line: line)
            XCTAssertEqual(batch.schema, schema, file: file, line: line)
            let columns = try XCTUnwrap(eb["columns"] as? [[Any]])
            XCTAssertEqual(batch.columns.count, columns.count, "\(name): columns of batch \(bi)", file: file, line: line)
            for (ci, (actual, exp)) in zip(batch.columns, columns).enumerated() {
                XCTAssertEqual(actual.count, exp.count, "\(name): batch \(bi) column \(ci) length", file: file, line: line)
                for (ri, (a, e)) in zip(actual, exp).enumerated() {
                    XCTAssertEqual(a, try value(e), "\(name): batch \(bi) column '\(schema.fields[ci].name)' row \(ri)", file: file, line: line)
                    checked += 1
                }
            }
        }
        if !expectedBatches.isEmpty, expectedBatches.contains(where: { ($0["rows"] as? Int ?? 0) > 0 }) {
            XCTAssertGreaterThan(checked, 0, file: file, line: line)
        }
    }
}
