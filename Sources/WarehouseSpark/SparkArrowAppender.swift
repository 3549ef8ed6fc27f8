import ArrowIPC
import Foundation
import WarehouseKit

/// Bulk loads into a Spark table: each batch goes to the server as an Arrow IPC stream in a
/// local relation, appended to the table by column position (Spark Connect's `insertInto`).
///
/// Spark has no transactions: batches appended before a failure stay. Loaders that need
/// all-or-nothing on Spark write into a new table and swap it in.
final class SparkArrowAppender: BulkAppender, @unchecked Sendable {
    let columns: [ColumnInfo]
    private let session: SparkConnectSession
    private let table: RelationName
    private let lock = NSLock()
    private var appended = 0

    init(session: SparkConnectSession, table: RelationName, columns: [ColumnInfo]) throws {
        self.session = session
        self.table = table
        self.columns = columns
    }

    func append(_ batch: ColumnBatch) async throws {
        guard batch.columns.count == columns.count else {
            throw WarehouseError(.load, "a batch of \(batch.columns.count) columns cannot be appended to \(table.quoted), which has \(columns.count)")
        }
        guard batch.count > 0 else { return }
        let stream = try Self.arrowStream(batch, names: columns.map(\.name))
        let target = table.quoted
        try await session.execute(SparkPlans.insert(arrowStream: stream, into: target), sql: "insert into \(target) (\(batch.count) rows from Arrow)") { _ in }
        lock.withLock { appended += batch.count }
    }

    func finish() async throws -> Int { lock.withLock { appended } }

    /// A batch as one Arrow IPC stream (schema + record batch), columns named as the table's.
    static func arrowStream(_ batch: ColumnBatch, names: [String]) throws -> [UInt8] {
        var fields: [ArrowField] = []
        var data: [ArrowWriteColumn] = []
        for (column, name) in zip(batch.columns, names) {
            let valid = column.nulls.map { $0.map { !$0 } }
            switch column.values {
            case .bool(let v): fields.append(ArrowField(name: name, type: .bool)); data.append(.bool(v, valid: valid))
            case .int32(let v): fields.append(ArrowField(name: name, type: .int(bitWidth: 32, signed: true))); data.append(.int32(v, valid: valid))
            case .int64(let v): fields.append(ArrowField(name: name, type: .int(bitWidth: 64, signed: true))); data.append(.int64(v, valid: valid))
            case .double(let v): fields.append(ArrowField(name: name, type: .floatingPoint(bitWidth: 64))); data.append(.double(v, valid: valid))
            case .text(let v): fields.append(ArrowField(name: name, type: .utf8)); data.append(.utf8(v, valid: valid))
            case .date(let v): fields.append(ArrowField(name: name, type: .date(unit: .day))); data.append(.date32(v, valid: valid))
            case .timestamp(let v):
                fields.append(ArrowField(name: name, type: .timestamp(unit: .microsecond, timezone: nil)))
                data.append(.timestampMicros(v, valid: valid))
            case .timestampTZ(let v):
                fields.append(ArrowField(name: name, type: .timestamp(unit: .microsecond, timezone: "UTC")))
                data.append(.timestampMicros(v, valid: valid))
            }
        }
        do {
            return try ArrowStreamWriter.write(schema: ArrowSchema(fields: fields), columns: data, rowCount: batch.count)
        } catch {
            throw WarehouseError(.load, "the batch could not be written as Arrow: \(error)")
        }
    }
}
