import Dashboards
import Foundation
import Hummingbird
import LearningRuntime
import WarehouseKit

/// `/ml` (the project's models) and `/ml/:model` (one model's figures and current scores).
enum ModelRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, scoring: ModelScoringService) {
        let dashboards = scoring.served.dashboards
        router.get("ml") { _, _ -> HTML in
            HTML(.ok, ModelPages.index(try await scoring.summaries(), dashboards: dashboards))
        }
        router.get("ml/:model") { _, context -> HTML in
            let name = context.parameters.get("model") ?? ""
            guard let summary = try await scoring.summaries().first(where: { $0.declared.name == name }) else {
                let declared = scoring.served.machineLearning?.models.map(\.name) ?? []
                return HTML(.notFound, CustomerPages.problem(
                    title: "No model \(name)",
                    message: declared.isEmpty ? "The project declares no models (ml.yml)." : "The project's ml.yml declares \(declared.joined(separator: ", ")).",
                    dashboards: dashboards))
            }
            return HTML(.ok, ModelPages.model(summary, histogram: try await scoring.histogram(of: summary.declared), dashboards: dashboards))
        }
    }
}

extension ModelScoringService {
    /// Every declared model with its accepted version (nil when untrained) and all its versions.
    func summaries() async throws -> [ModelPages.Summary] {
        let declared = served.machineLearning?.models ?? []
        guard !declared.isEmpty else { return [] }
        let accepted = try await acceptedModels()
        let versions = try await warehouse.read { try await ModelRegistry.versions(of: nil, on: $0) }
        return declared.map { model in
            ModelPages.Summary(declared: model, model: accepted[model.name], versions: versions.filter { $0.model == model.name })
        }
    }

    /// Twenty equal-width bins of the model's current scores; empty when it has not scored.
    func histogram(of declared: DeclaredModel, bins: Int = 20) async throws -> [(lower: Double, upper: Double, rows: Int)] {
        let table = RelationName(schema: ModelRegistry.schema, name: declared.scoresTable)
        let column = SQL.quoteIdentifier(declared.scoreColumn)
        return try await warehouse.read { connection in
            guard try await connection.columns(of: table).contains(where: { $0.name == declared.scoreColumn }) else { return [] }
            guard let range = try await connection.query("select min(\(unsafeRaw: column)), max(\(unsafeRaw: column)) from \(table)").rows.first,
                  let low = range[0].double, let high = range[1].double else { return [] }
            let width = high > low ? (high - low) / Double(bins) : 1
            let counts = try await connection.query("""
                select least(cast(floor((\(unsafeRaw: column) - \(low)) / \(width)) as integer), \(bins - 1)) as bin, count(*)
                from \(table) group by 1
                """).rows
            var rows = [Int](repeating: 0, count: bins)
            for row in counts { if let bin = row[0].int64, (0..<bins).contains(Int(bin)) { rows[Int(bin)] += Int(row[1].int64 ?? 0) } }
            return (0..<bins).map { (low + Double($0) * width, low + Double($0 + 1) * width, rows[$0]) }
        }
    }
}
