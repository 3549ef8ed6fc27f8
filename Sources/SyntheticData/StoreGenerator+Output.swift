import Foundation
import WarehouseKit

/// File formats of a landing folder.
public enum LandingFormat: String, Sendable, CaseIterable {
    case csv, parquet
}

extension StoreGenerator {
    /// The bookkeeping table of generate/append runs in the target schema.
    public var stateRelation: RelationName { RelationName(schema: options.schema, name: "_generator_state") }

    /// Generates a first load into `<schema>.*` of a warehouse, replacing tables of the same names,
    /// in one transaction: a failure leaves the warehouse as it was. Where the engine has no
    /// transactions (Spark), every table is loaded under a temporary name and the loaded tables
    /// are swapped in once all of them are complete, so a failure while generating leaves the old
    /// tables as they were.
    public func generate(into warehouse: any Warehouse) async throws -> GenerationReport {
        try options.validate()
        let generator = self
        return try await warehouse.write { connection in
            let clock = ContinuousClock.now
            let staged = !connection.dialect.supportsTransactions
            let relations = StoreTable.allCases.map { RelationName(schema: generator.options.schema, name: $0.rawValue) } + [generator.stateRelation]
            func loading(_ relation: RelationName) -> RelationName {
                staged ? RelationName(schema: relation.schema, name: relation.name + "__storehouse_load") : relation
            }
            let load = { () async throws -> GenerationReport in
                let schema = generator.options.schema
                try await connection.execute(SQL(unsafeRaw: "CREATE SCHEMA IF NOT EXISTS \(SQL.quoteIdentifier(schema))"))
                for (table, columns) in zip(relations, StoreTable.allCases.map(\.columns) + [TableSchemas.generatorState]) {
                    try await connection.execute(SQL(unsafeRaw: "DROP TABLE IF EXISTS \(loading(table).quoted)"))
                    try await connection.execute(connection.dialect.createTable(loading(table), columns: columns))
                }
                let report = try await generator.load(into: connection, naming: { loading(RelationName(schema: schema, name: $0.rawValue)) }) { sink in
                    try await generator.generate(to: sink)
                }
                try await generator.record(report.state.runs, into: loading(generator.stateRelation), on: connection)
                return report
            }
            var report: GenerationReport
            if staged {
                do {
                    report = try await load()
                } catch {
                    for table in relations { _ = try? await connection.execute(SQL(unsafeRaw: "DROP TABLE IF EXISTS \(loading(table).quoted)")) }
                    throw error
                }
                for table in relations {
                    try await connection.execute(SQL(unsafeRaw: "DROP TABLE IF EXISTS \(table.quoted)"))
                    try await connection.execute(SQL(unsafeRaw: "ALTER TABLE \(loading(table).quoted) RENAME TO \(SQL.quoteIdentifier(table.name))"))
                }
            } else {
                report = try await connection.transaction(load)
            }
            report.seconds = ContinuousClock.now.seconds(since: clock)
            return report
        }
    }

    /// Adds `days` days of activity after the last run recorded in the warehouse, in one
    /// transaction. Existing rows are never changed; ids continue after the current ones.
    public func append(days: Int, into warehouse: any Warehouse) async throws -> GenerationReport {
        guard days >= 1 else { throw SyntheticDataError.invalidAppendDays(days) }
        let generator = self
        return try await warehouse.write { connection in
            let clock = ContinuousClock.now
            let state = try await generator.readState(on: connection)
            return try await connection.transaction {
                var report = try await generator.load(into: connection) { sink in
                    try await generator.append(days: days, after: state, to: sink)
                }
                try await generator.addHistoryColumns(on: connection)
                try await generator.record([report.run], into: generator.stateRelation, on: connection)
                report.seconds = ContinuousClock.now.seconds(since: clock)
                return report
            }
        }
    }

    /// Reads the runs recorded by earlier generate/append calls.
    public func readState(in warehouse: any Warehouse) async throws -> GeneratorState {
        let generator = self
        return try await warehouse.read { try await generator.readState(on: $0) }
    }

    /// Writes a first load as one file per table (`users.csv`, `orders.parquet`, …) into `folder`.
    /// Parquet goes through `scratch`, a warehouse that can `COPY … (FORMAT parquet)` (an
    /// in-memory DuckDB).
    public func writeFiles(to folder: URL, format: LandingFormat, scratch: (any Warehouse)? = nil) async throws -> GenerationReport {
        try options.validate()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SyntheticDataError.fileWrite(path: folder.path, message: "\(error)")
        }
        switch format {
        case .csv:
            let clock = ContinuousClock.now
            var writers: [StoreTable: CSVTableWriter] = [:]
            for table in StoreTable.allCases {
                writers[table] = try CSVTableWriter(
                    path: folder.appendingPathComponent("\(table.rawValue).csv").path, header: table.columns.map(\.name))
            }
            var writeSeconds: [StoreTable: Double] = [:]
            var report = try await generate { table, batch in
                let start = ContinuousClock.now
                try writers[table]!.write(batch)
                writeSeconds[table, default: 0] += ContinuousClock.now.seconds(since: start)
            }
            for (table, writer) in writers {
                let start = ContinuousClock.now
                try writer.close()
                writeSeconds[table, default: 0] += ContinuousClock.now.seconds(since: start)
            }
            report.writeSeconds = writeSeconds
            report.seconds = ContinuousClock.now.seconds(since: clock)
            return report
        case .parquet:
            guard let scratch else { throw SyntheticDataError.parquetNeedsWarehouse }
            let clock = ContinuousClock.now
            var report = try await generate(into: scratch)
            let schema = options.schema
            try await scratch.write { connection in
                for table in StoreTable.allCases {
                    let relation = RelationName(schema: schema, name: table.rawValue)
                    let path = folder.appendingPathComponent("\(table.rawValue).parquet").path
                    try await connection.execute(SQL(unsafeRaw: "COPY \(relation.quoted) TO \(SQL.quoteLiteral(path)) (FORMAT parquet)"))
                }
            }
            report.seconds = ContinuousClock.now.seconds(since: clock)
            return report
        }
    }

    // MARK: - Internals

    private func load(
        into connection: any WarehouseConnection, naming: ((StoreTable) -> RelationName)? = nil,
        _ produce: (BatchSink) async throws -> GenerationReport
    ) async throws -> GenerationReport {
        var appenders: [StoreTable: any BulkAppender] = [:]
        for table in StoreTable.allCases {
            appenders[table] = try await connection.appender(into: naming?(table) ?? RelationName(schema: options.schema, name: table.rawValue))
        }
        var writeSeconds: [StoreTable: Double] = [:]
        var report = try await produce { table, batch in
            let start = ContinuousClock.now
            try await appenders[table]!.append(batch)
            writeSeconds[table, default: 0] += ContinuousClock.now.seconds(since: start)
        }
        for table in StoreTable.allCases {
            let start = ContinuousClock.now
            try await appenders[table]!.finish()
            writeSeconds[table, default: 0] += ContinuousClock.now.seconds(since: start)
        }
        report.writeSeconds = writeSeconds
        return report
    }

    private func record(_ runs: [GeneratorRun], into relation: RelationName, on connection: any WarehouseConnection) async throws {
        for run in runs {
            let values: [WarehouseValue] = [
                .int(Int64(run.runNumber)), .int(Int64(bitPattern: run.seed)), .date(days: Int32(run.asOf.daysSinceEpoch)),
                .timestamp(micros: run.windowStart), .timestamp(micros: run.windowEnd),
                .int(run.firstUserId), .int(run.lastUserId), .int(run.nextOrderId), .int(run.nextOrderItemId),
                .int(run.nextInventoryItemId), .int(run.nextEventId), .int(run.nextTicketId), .text(GeneratorRun.version),
                .text(run.profile.rawValue), .double(run.growthPerYear),
            ]
            let placeholders = (1...values.count).map { "$\($0)" }.joined(separator: ", ")
            let statement = try await connection.prepare("INSERT INTO \(relation.quoted) VALUES (\(placeholders))")
            try await statement.execute(values)
        }
    }

    /// A state table written before profiles existed gains the profile columns, filled with what
    /// those loads followed (TheLook's rules), so the appended run's row fits.
    private func addHistoryColumns(on connection: any WarehouseConnection) async throws {
        let columns = Set(try await connection.columns(of: stateRelation).map { $0.name.lowercased() })
        for (name, definition) in [("profile", "text default '\(StoreProfile.thelook.rawValue)'"), ("growth_per_year", "double precision default 0")]
        where !columns.contains(name) {
            try await connection.execute(SQL(unsafeRaw: "ALTER TABLE \(stateRelation.quoted) ADD COLUMN \(name) \(definition)"))
        }
    }

    private func readState(on connection: any WarehouseConnection) async throws -> GeneratorState {
        guard try await connection.relationKind(stateRelation) != nil else {
            throw SyntheticDataError.noPreviousLoad(stateRelation.description)
        }
        // Loads made before profiles existed have no profile columns; they followed TheLook's rules.
        let columns = Set(try await connection.columns(of: stateRelation).map { $0.name.lowercased() })
        let history = columns.contains("profile") && columns.contains("growth_per_year")
            ? "profile, growth_per_year" : "'\(StoreProfile.thelook.rawValue)', 0.0"
        let result = try await connection.query(SQL(unsafeRaw: """
            SELECT run_number, seed, as_of, window_start, window_end, first_user_id, last_user_id, next_order_id,
                   next_order_item_id, next_inventory_item_id, next_event_id, next_ticket_id, \(history)
            FROM \(stateRelation.quoted) ORDER BY run_number
            """))
        guard !result.rows.isEmpty else { throw SyntheticDataError.noPreviousLoad(stateRelation.description) }
        let runs = try result.rows.enumerated().map { index, row -> GeneratorRun in
            func int(_ column: Int) throws -> Int64 {
                switch row[column] {
                case .int(let v): return v
                case .timestamp(let m), .timestampTZ(let m): return m
                case .date(let d): return Int64(d)
                default: throw SyntheticDataError.corruptState("row \(index + 1) of \(stateRelation) has \(row[column]) in column \(column + 1)")
                }
            }
            guard let profile = row[12].string.flatMap(StoreProfile.init(rawValue:)), let growth = row[13].double else {
                throw SyntheticDataError.corruptState("row \(index + 1) of \(stateRelation) has profile \(row[12]) and growth \(row[13])")
            }
            return GeneratorRun(
                runNumber: Int(try int(0)), seed: UInt64(bitPattern: try int(1)),
                asOf: CivilDate(daysSinceEpoch: Int(try int(2))), windowStart: try int(3), windowEnd: try int(4),
                firstUserId: try int(5), lastUserId: try int(6), nextOrderId: try int(7), nextOrderItemId: try int(8),
                nextInventoryItemId: try int(9), nextEventId: try int(10), nextTicketId: try int(11),
                profile: profile, growthPerYear: growth)
        }
        return GeneratorState(runs: runs)
    }
}

extension GeneratorRun {
    /// Written into the state table so a future generator can tell which rules produced a load.
    /// 2: the growing profile and the profile and growth columns.
    public static let version = "storehouse-synthetic-2"
}

extension ContinuousClock.Instant {
    func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = self - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
