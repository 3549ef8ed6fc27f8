import Foundation
import WarehouseKit

/// The customer pages' reads of model scores (tables `storehouse ml score` writes in schema ml).
extension CustomerService {
    /// Which of the scores tables exist now: a project whose models were never scored has none.
    func existingScoreTables() async throws -> Set<RelationName> {
        let wanted = [scores.churn, scores.ltv, scores.crossSell].compactMap { $0?.relation }
        guard !wanted.isEmpty else { return [] }
        let names = Set(try await run("select table_name from information_schema.tables where table_schema = 'ml'").rows.compactMap { $0[0].string })
        return Set(wanted.filter { names.contains($0.name) })
    }

    /// Churn risk and predicted revenue of a customer; nil when no model has scored them.
    func predictions(id: Int64) async throws -> CustomerPredictions? {
        guard let sql = scores.predictions(id: id, existing: try await existingScoreTables()) else { return nil }
        guard let row = try await run(sql).rows.first else { return nil }
        let predictions = CustomerPredictions(
            churnProbability: row[0].double, churnModelVersion: Self.int(row[1]),
            predictedRevenue90d: row[2].double, ltvModelVersion: Self.int(row[3]))
        return predictions.churnProbability == nil && predictions.predictedRevenue90d == nil ? nil : predictions
    }

    /// The customer's best cross-sell categories (at most `limit`), each with its three
    /// best-selling products; an empty list when the model has not scored them.
    func recommendations(id: Int64, limit: Int) async throws -> CustomerRecommendations {
        guard try await existingScoreTables().contains(where: { $0 == scores.crossSell?.relation }),
              let sql = scores.topCategories(id: id, limit: limit) else {
            return CustomerRecommendations(customerId: id, modelVersion: nil, recommendations: [])
        }
        var recommendations: [CustomerRecommendations.Category] = []
        let top = try await run(sql).rows
        for row in top {
            let category = row[0].string ?? "", department = row[1].string
            var products: [CustomerRecommendations.Product] = []
            if let productsSQL = scores.bestSellers(category: category, department: department) {
                products = try await run(productsSQL).rows.map { .init(id: $0[0].int64 ?? 0, name: $0[1].string, brand: $0[2].string, retailPrice: $0[3].double) }
            }
            recommendations.append(.init(category: category, department: department, purchaseProbability: row[2].double ?? 0, products: products))
        }
        return CustomerRecommendations(customerId: id, modelVersion: top.first.flatMap { Self.int($0[3]) }, recommendations: recommendations)
    }
}
