import WarehouseKit
import XCTest
@testable import SyntheticData

/// Generated batches collected in memory, read back column by column by name.
struct GeneratedTables {
    var batches: [StoreTable: [ColumnBatch]] = [:]
    var report: GenerationReport?

    static func generate(_ options: GeneratorOptions) async throws -> GeneratedTables {
        var tables = GeneratedTables()
        tables.report = try await StoreGenerator(options: options).generate { table, batch in
            tables.batches[table, default: []].append(batch)
        }
        return tables
    }

    func count(_ table: StoreTable) -> Int { (batches[table] ?? []).reduce(0) { $0 + $1.count } }

    func values(_ table: StoreTable, _ column: String) -> [WarehouseValue] {
        guard let index = table.columns.firstIndex(where: { $0.name == column }) else {
            XCTFail("\(table.rawValue) has no column \(column)")
            return []
        }
        var out: [WarehouseValue] = []
        for batch in batches[table] ?? [] {
            let col = batch.columns[index]
            for row in 0..<batch.count { out.append(col[row]) }
        }
        return out
    }

    func ints(_ table: StoreTable, _ column: String) -> [Int64?] { values(table, column).map(\.int64) }
    func texts(_ table: StoreTable, _ column: String) -> [String?] { values(table, column).map(\.string) }
    func times(_ table: StoreTable, _ column: String) -> [Int64?] {
        values(table, column).map { if case .timestamp(let m) = $0 { return m } else { return nil } }
    }

    /// Share of each value among the rows.
    func shares(_ table: StoreTable, _ column: String) -> [String: Double] {
        let all = texts(table, column)
        var counts: [String: Int] = [:]
        for value in all { counts[value ?? "NULL", default: 0] += 1 }
        return counts.mapValues { Double($0) / Double(all.count) }
    }

    /// An order-sensitive FNV-1a digest of every value (and NULL) of a table, independent of
    /// how the rows are split into batches.
    func checksum(_ table: StoreTable) -> UInt64 {
        var hashes = Array(repeating: UInt64(0xCBF2_9CE4_8422_2325), count: table.columns.count)
        for batch in batches[table] ?? [] {
            for (index, column) in batch.columns.enumerated() {
                var hash = hashes[index]
                func mix(_ word: UInt64) { hash = (hash ^ word) &* 0x100_0000_01B3 }
                switch column.values {
                case .int64(let v), .timestamp(let v), .timestampTZ(let v):
                    for (row, x) in v.enumerated() { mix(column.isNull(row) ? 0xDEAD : UInt64(bitPattern: x)) }
                case .double(let v):
                    for (row, x) in v.enumerated() { mix(column.isNull(row) ? 0xDEAD : x.bitPattern) }
                case .text(let v):
                    for (row, x) in v.enumerated() { mix(column.isNull(row) ? 0xDEAD : UInt64(truncatingIfNeeded: x.hashValue)) }
                default: XCTFail("unexpected column storage in \(table.rawValue)")
                }
                hashes[index] = hash
            }
        }
        return hashes.reduce(UInt64(17)) { ($0 &* 31) ^ $1 }
    }
}

enum Fixture {
    static let asOf = CivilDate(year: 2024, month: 6, day: 30)

    static func options(users: Int = 2_000, seed: UInt64 = 7, workers: Int = 2, chunk: Int = 512) throws -> GeneratorOptions {
        try GeneratorOptions(seed: seed, asOf: asOf, users: users, workers: workers, usersPerChunk: chunk)
    }

    /// One moderate generation shared by the read-only tests (generated once per test process).
    static let shared = SharedTables()
}

actor SharedTables {
    private var cached: GeneratedTables?
    func get() async throws -> GeneratedTables {
        if let cached { return cached }
        let tables = try await GeneratedTables.generate(Fixture.options())
        cached = tables
        return tables
    }
}
