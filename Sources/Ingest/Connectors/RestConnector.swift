import Foundation
import WarehouseKit

/// How a REST resource is paged.
public enum RestPaginator: Sendable, Hashable {
    /// One request returns everything (FakeStore's plain arrays).
    case single
    /// `?limit=N&skip=K`, until a page is short or `total` (at `totalPath`) is reached (DummyJSON).
    case offset(limitParameter: String, offsetParameter: String, pageSize: Int, totalPath: [String]?)
    /// `?page=P&per_page=N`, until a page is short.
    case pageNumber(pageParameter: String, sizeParameter: String, pageSize: Int, firstPage: Int)
    /// `?limit=N&starting_after=<last record's key>` while `hasMorePath` is true (Stripe).
    case cursor(cursorParameter: String, sizeParameter: String, pageSize: Int, hasMorePath: [String])
    /// The next page's URL at `path` in each page (`links.next`), until it is missing.
    case nextLink(path: [String])
}

/// Where a record's lists go.
public enum NestedData: String, Sendable, Hashable, CaseIterable {
    /// Kept in the record's row as JSON columns (the default).
    case json
    /// Each list field to a child table `<table>__<field>`, one row per element, tied to its
    /// parent by the primary key and `_position`; objects stay JSON columns of their row.
    case tables
}

/// A REST resource loaded into one table (and, with `nested: tables`, its child tables).
public struct RestConnector: Sendable, Hashable {
    public var name: String
    /// `https://dummyjson.com`; the resource's path is appended.
    public var baseURL: String
    public var resource: String
    public var into: RelationName
    public var paginator: RestPaginator
    /// Where a page's records are (`products`, `data`); empty when the page is the array itself.
    public var recordPath: [String]
    public var primaryKey: [String]
    public var disposition: WriteDisposition
    /// The environment variable holding a bearer token (Stripe's secret key), if the API needs one.
    public var bearerTokenVariable: String?
    /// Incremental loads: ask for records whose `cursorField` is at least the saved value, with
    /// the query parameter `cursorParameter` (Stripe: `created[gte]` over `created`).
    public var cursorParameter: String?
    public var cursorField: String?
    /// Extra query parameters sent with every request.
    public var parameters: [String: String]
    /// Seconds one request may take before it is retried.
    public var requestTimeout: Double
    /// Attempts per request (429, 5xx, timeouts, dropped connections, malformed pages are retried).
    public var maxAttempts: Int
    /// Seconds the whole load may take.
    public var timeLimit: Double
    /// Requests in flight at once where the pages are known in advance (an offset paginator
    /// whose first page tells the total); other paginators learn each page from the last.
    public var concurrency: Int
    /// JSON columns or child tables for the records' lists.
    public var nested: NestedData = .json
    public var location: String

    public init(name: String, baseURL: String, resource: String, into: RelationName, paginator: RestPaginator, recordPath: [String] = [],
                primaryKey: [String] = ["id"], disposition: WriteDisposition = .merge, bearerTokenVariable: String? = nil,
                cursorParameter: String? = nil, cursorField: String? = nil, parameters: [String: String] = [:],
                requestTimeout: Double = 30, maxAttempts: Int = 6, timeLimit: Double = 3600, concurrency: Int = 4,
                location: String = "command line")
    {
        self.name = name
        self.baseURL = baseURL
        self.resource = resource
        self.into = into
        self.paginator = paginator
        self.recordPath = recordPath
        self.primaryKey = primaryKey
        self.disposition = disposition
        self.bearerTokenVariable = bearerTokenVariable
        self.cursorParameter = cursorParameter
        self.cursorField = cursorField
        self.parameters = parameters
        self.requestTimeout = requestTimeout
        self.maxAttempts = maxAttempts
        self.timeLimit = timeLimit
        self.concurrency = concurrency
        self.location = location
    }
}

extension RestConnector {
    /// The folder under a project where REST loads keep their pages until they are written.
    public static func scratchFolder(projectRoot: String) -> URL {
        URL(fileURLWithPath: projectRoot).appendingPathComponent("target").appendingPathComponent("rest-pages")
    }
}

/// The APIs the stacks Storehouse replaces load most, set up by name.
public enum RestPreset: String, Sendable, CaseIterable {
    case dummyjson, fakestore, stripe

    public var defaultBaseURL: String {
        switch self {
        case .dummyjson: "https://dummyjson.com"
        case .fakestore: "https://fakestoreapi.com"
        case .stripe: "https://api.stripe.com/v1"
        }
    }

    public var resources: [String] {
        switch self {
        case .dummyjson: ["products", "carts", "users"]
        case .fakestore: ["products", "carts", "users"]
        case .stripe: ["customers", "charges", "invoices", "payment_intents"]
        }
    }

    /// The connector for one resource, landing in `<schema>.<preset>_<resource>`.
    public func connector(resource: String, baseURL: String? = nil, schema: String = "raw", name: String? = nil,
                          location: String = "command line") -> RestConnector
    {
        let into = RelationName(schema: schema, name: "\(rawValue)_\(resource)")
        let base = baseURL ?? defaultBaseURL
        let label = name ?? "\(rawValue)_\(resource)"
        switch self {
        case .dummyjson:
            return RestConnector(name: label, baseURL: base, resource: resource, into: into,
                                 paginator: .offset(limitParameter: "limit", offsetParameter: "skip", pageSize: 100, totalPath: ["total"]),
                                 recordPath: [resource], location: location)
        case .fakestore:
            return RestConnector(name: label, baseURL: base, resource: resource, into: into, paginator: .single, location: location)
        case .stripe:
            return RestConnector(name: label, baseURL: base, resource: resource, into: into,
                                 paginator: .cursor(cursorParameter: "starting_after", sizeParameter: "limit", pageSize: 100, hasMorePath: ["has_more"]),
                                 recordPath: ["data"], bearerTokenVariable: "STRIPE_API_KEY",
                                 cursorParameter: "created[gte]", cursorField: "created", location: location)
        }
    }
}
