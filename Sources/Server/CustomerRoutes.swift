import Dashboards
import Foundation
import HTTPTypes
import Hummingbird

/// `/customers` (search) and `/customers/:id` (one customer's 360). Generic over the request
/// context, so the app's context type can change without touching these routes.
enum CustomerRoutes {
    static let pageSize = 25

    static func add<Context: RequestContext>(to router: Router<Context>, customers: CustomerService) {
        let dashboards = customers.served.dashboards
        router.get("customers") { request, _ -> HTML in
            let fields = FormFields(query: request)
            let query = fields.get("q") ?? ""
            let pageText = fields.get("page") ?? "1"
            guard let page = Int(pageText), page >= 1 else {
                return HTML(.badRequest, CustomerPages.problem(
                    title: "Not a page number", message: "page=\(pageText) is not a page number; pages count from 1.", dashboards: dashboards))
            }
            let result = try await customers.search(prefix: query, page: page, pageSize: pageSize)
            return HTML(.ok, CustomerPages.search(result, dashboards: dashboards))
        }
        router.get("customers/:id") { _, context -> HTML in
            let text = context.parameters.get("id") ?? ""
            guard let id = CustomerQueries.customerID(text) else {
                return HTML(.badRequest, CustomerPages.problem(
                    title: "Not a customer id", message: "“\(text)” is not a customer id; customer ids are whole numbers, such as /customers/42.",
                    dashboards: dashboards))
            }
            guard let record = try await customers.record(id: id) else {
                return HTML(.notFound, CustomerPages.problem(
                    title: "No customer \(id)", message: "There is no customer with id \(id) in dim_customers. Search for them by name or email instead.",
                    dashboards: dashboards))
            }
            let recommendations = try await customers.recommendations(id: id, limit: 5)
            return HTML(.ok, CustomerPages.customer(record, recommendations: recommendations, dashboards: dashboards))
        }
    }
}
