import Foundation
import Synchronization
import TransformProject
import WarehouseKit

/// The compiler's view of the live warehouse: which relations exist, and `run_query`.
/// `compile` uses one too, so templates see the warehouse as under dbt's compile (`execute`
/// true, `run_query` answering). Its calls block: compile on a plain thread, not the
/// cooperative pool (see `TransformRunner.withCompiler`).
public final class LiveHost: CompilationHost, @unchecked Sendable {
    let warehouse: any Warehouse
    public let fullRefresh: Bool
    /// Relations in the warehouse and their kinds: read once when a run starts, then kept up to
    /// date by the run's own builds (a catalog query per node grows with the catalog).
    private let existing = Mutex<[String: RelationKind]>([:])

    public let command: String

    public init(warehouse: any Warehouse, fullRefresh: Bool = false, command: String = "compile") {
        self.warehouse = warehouse
        self.fullRefresh = fullRefresh
        self.command = command
    }

    public var dialect: SQLDialect { warehouse.dialect }

    private static func key(_ schema: String, _ name: String) -> String { schema.lowercased() + "." + name.lowercased() }

    public func refreshExistingRelations() async throws {
        let relations = try await warehouse.read { try await $0.relations() }
        existing.withLock { known in
            known = Dictionary(relations.map { (LiveHost.key($0.name.schema, $0.name.name), $0.kind) }, uniquingKeysWith: { first, _ in first })
        }
    }

    func markExists(_ relation: QualifiedRelation?, kind: RelationKind = .table) {
        guard let relation else { return }
        existing.withLock { $0[LiveHost.key(relation.schema, relation.identifier)] = kind }
    }

    public func relationExists(_ relation: QualifiedRelation) -> Bool {
        existing.withLock { $0[LiveHost.key(relation.schema, relation.identifier)] != nil }
    }

    /// The relation's kind as of the run's start and its own builds; nil when it does not exist.
    func relationKind(_ relation: RelationName) -> RelationKind? {
        existing.withLock { $0[LiveHost.key(relation.schema, relation.name)] }
    }

    /// Called from a compile running on a plain (non-cooperative) thread, so waiting is safe.
    public func execute(_ sql: String) throws {
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let warehouse = self.warehouse
        Task {
            let result = await Result { try await warehouse.write { _ = try await $0.execute(SQL(unsafeRaw: sql)) } }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        try outcome.withLock { $0! }.get()
    }

    /// Where the engine has no information_schema (Spark), its own catalog commands through the
    /// connection's introspection.
    public func columns(of relation: QualifiedRelation) throws -> [(name: String, type: String)] {
        guard !warehouse.dialect.hasInformationSchema else { return try informationSchemaColumns(of: relation) }
        let outcome = Mutex<Result<[ColumnInfo], any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let warehouse = self.warehouse
        let name = RelationName(schema: relation.schema, name: relation.identifier)
        Task {
            let result = await Result { try await warehouse.read { try await $0.columns(of: name) } }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get().map { (name: $0.name, type: $0.type) }
    }

    public func runQuery(_ sql: String) throws -> ResultSet {
        let outcome = Mutex<Result<ResultSet, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let warehouse = self.warehouse
        Task {
            let result = await Result { try await warehouse.read { try await $0.query(SQL(unsafeRaw: sql)) } }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
