import Foundation
import TransformProject
import WarehouseKit

extension TransformRunner {
    /// The var that makes a failing distribution test accept the new distribution as its reference.
    static let acceptDriftVar = "storehouse_accept_drift"

    /// After a distribution test (`expect_column_distribution_to_be_stable`) its column's current
    /// distribution becomes the reference for the next build, unless the test failed: a failure
    /// keeps the old reference, so a retry or the next build fails again until someone accepts the
    /// change (`--vars '{storehouse_accept_drift: true}'`). A drift is reported in words.
    func finishDistributionTest(_ node: Node, result: inout NodeResult) async throws {
        guard Compiler.keepsColumnProfile(node) else { return }
        let id = node.uniqueId
        let accepted = manifest.vars.first { $0.0 == Self.acceptDriftVar }?.1.boolValue ?? false
        if result.status != .pass, let sample = result.failingRows, let drift = Self.describeDrift(sample) {
            result.message = drift + (result.status == .fail && !accepted
                ? "; the reference is kept: to accept the new distribution, build with --vars '{\(Self.acceptDriftVar): true}'" : "")
        }
        guard result.status != .fail || accepted else { return }
        let script = try await withCompiler { try $0.columnProfileRefresh(ofTest: id) }
        try await warehouse.write { db in try await db.transactionWhereSupported { try await db.executeScript(script) } }
    }

    /// "distribution drifted: PSI 3.40 > 0.25; bucket '2' holds 10.0% of rows in the reference, 0.0% now".
    static func describeDrift(_ sample: FailingRowsSample) -> String? {
        guard let row = sample.rows.first, row.count >= 5, sample.columns.first == "psi",
              let psi = row[0].flatMap(Double.init), let limit = row[1].flatMap(Double.init) else { return nil }
        func percent(_ text: String?) -> String {
            let share = text.flatMap(Double.init) ?? 0
            return String(format: "%.1f%%", share <= 0.0001 ? 0 : share * 100)
        }
        return String(format: "distribution drifted: PSI %.3f > %@", psi, WarehouseValue.format(double: limit))
            + "; bucket '\(row[2] ?? "null")' holds \(percent(row[3])) of rows in the reference, \(percent(row[4])) now"
    }
}
