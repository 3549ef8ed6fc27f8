import Foundation
import WarehouseKit

/// Rows of a relation in a form that compares equal across engines, for parity checks of the same
/// project built on two warehouses.
public enum CanonicalRows {
    /// Every row as text, sorted: numbers to 9 significant digits (so doubles summed in another
    /// order, and numeric against double results, compare equal), timestamps with and without a
    /// time zone written alike (every engine runs its session in UTC).
    public static func of(_ relation: String, in warehouse: any Warehouse) async throws -> [String] {
        let result = try await warehouse.read { try await $0.query(SQL(unsafeRaw: "select * from \(relation)")) }
        return result.rows.map { row in
            row.map { value -> String in
                switch value {
                case .int, .double, .decimal:
                    let number = value.double ?? 0
                    return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(format: "%.9g", number)
                case .timestampTZ(let micros): return Timestamp(micros: micros).description
                default: return value.description
                }
            }.joined(separator: "|")
        }.sorted()
    }
}
