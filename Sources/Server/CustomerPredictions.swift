import Foundation
import LearningRuntime
import TransformProject
import WarehouseKit

/// What the project's models say about one customer (ml.yml's `churn` and `ltv` models, scored
/// by `storehouse ml score`).
public struct CustomerPredictions: Codable, Sendable, Hashable {
    /// Probability of no order in the next 90 days.
    public var churnProbability: Double?
    public var churnModelVersion: Int?
    /// Expected net revenue in the next 90 days.
    public var predictedRevenue90d: Double?
    public var ltvModelVersion: Int?

    enum CodingKeys: String, CodingKey {
        case churnProbability = "churn_probability", churnModelVersion = "churn_model_version"
        case predictedRevenue90d = "predicted_revenue_90d", ltvModelVersion = "ltv_model_version"
    }
}

/// Categories to offer a customer (ml.yml's `cross_sell` model), best first, each with the
/// category's best-selling products.
public struct CustomerRecommendations: Codable, Sendable, Hashable {
    public struct Product: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String?
        public var brand: String?
        public var retailPrice: Double?

        enum CodingKeys: String, CodingKey {
            case id, name, brand
            case retailPrice = "retail_price"
        }
    }

    public struct Category: Codable, Sendable, Hashable {
        public var category: String
        public var department: String?
        /// Probability that the customer buys from it in the next 90 days.
        public var purchaseProbability: Double
        public var products: [Product]

        enum CodingKeys: String, CodingKey {
            case category, department, products
            case purchaseProbability = "purchase_probability"
        }
    }

    public var customerId: Int64
    public var modelVersion: Int?
    public var recommendations: [Category]

    enum CodingKeys: String, CodingKey {
        case recommendations
        case customerId = "customer_id", modelVersion = "model_version"
    }
}

/// Where the customer pages find model scores: the scores tables of ml.yml's models named
/// `churn`, `ltv` and `cross_sell` (schema `ml`), and the marts that describe what they score.
struct ModelScoreTables: Sendable {
    struct Table: Sendable {
        let relation: RelationName
        let scoreColumn: String
    }

    let churn: Table?
    let ltv: Table?
    let crossSell: Table?
    /// cross_sell's scoring mart (department of each candidate) and product_performance (best sellers).
    let candidates: QualifiedRelation?
    let products: QualifiedRelation?

    init(file: MLProjectFile?, models: [String: QualifiedRelation]) {
        func table(_ name: String) -> Table? {
            guard let declared = file?.models.first(where: { $0.name == name }) else { return nil }
            return Table(relation: RelationName(schema: ModelRegistry.schema, name: declared.scoresTable), scoreColumn: declared.scoreColumn)
        }
        churn = table("churn")
        ltv = table("ltv")
        crossSell = table("cross_sell")
        let crossSellModel = file?.models.first { $0.name == "cross_sell" }
        candidates = (crossSellModel?.scoring ?? crossSellModel?.training).flatMap { models[$0] }
        products = models["product_performance"]
    }

    /// The customer's churn probability and predicted revenue with their model versions.
    func predictions(id: Int64, existing: Set<RelationName>) -> SQL? {
        let present = [churn, ltv].compactMap { $0 }.filter { existing.contains($0.relation) }
        guard !present.isEmpty else { return nil }
        func pick(_ table: Table?, _ alias: String) -> SQL {
            guard let table, existing.contains(table.relation) else { return "null as \(unsafeRaw: alias)_score, null as \(unsafeRaw: alias)_version" }
            return """
                (select \(unsafeRaw: SQL.quoteIdentifier(table.scoreColumn)) from \(table.relation) where customer_id = \(id)) as \(unsafeRaw: alias)_score,
                (select model_version from \(table.relation) where customer_id = \(id)) as \(unsafeRaw: alias)_version
                """
        }
        return "select \(pick(churn, "churn")), \(pick(ltv, "ltv"))"
    }

    /// The customer's best cross-sell categories.
    func topCategories(id: Int64, limit: Int) -> SQL? {
        guard let crossSell else { return nil }
        let department: SQL = candidates.map { relation in
            "(select min(c.department) from \(unsafeRaw: relation.description) c where c.customer_id = s.customer_id and c.category = s.category)"
        } ?? "null"
        return """
            select s.category, \(department) as department, s.\(unsafeRaw: SQL.quoteIdentifier(crossSell.scoreColumn)) as score, s.model_version
            from \(crossSell.relation) s
            where s.customer_id = \(id)
            order by score desc, s.category
            limit \(unsafeRaw: String(max(0, limit)))
            """
    }

    /// The three best-selling products of a category (in the department, when known).
    func bestSellers(category: String, department: String?) -> SQL? {
        guard let products else { return nil }
        let inDepartment: SQL = department.map { "and department = \($0)" } ?? ""
        return """
            select product_id, product_name, brand, retail_price
            from \(unsafeRaw: products.description)
            where category = \(category) \(inDepartment)
            order by units_sold_net desc, product_id
            limit 3
            """
    }
}
