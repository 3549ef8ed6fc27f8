import Foundation

/// A column of a relation: `relation` is the name the catalog gave the relation (for a model,
/// its `schema.identifier`), or the path written in the SQL when the catalog does not know it.
public struct ColumnSource: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var relation: String
    public var column: String

    public init(_ relation: String, _ column: String) {
        self.relation = relation
        self.column = column
    }

    public var description: String { "\(relation).\(column)" }

    public static func < (a: ColumnSource, b: ColumnSource) -> Bool { (a.relation, a.column) < (b.relation, b.column) }
}

/// How an output column comes from its sources, weakest first: a copy, a computation row by row,
/// an aggregate over rows, a window over rows. Through CTEs and subqueries the strongest wins.
public enum ColumnDerivation: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case identity, transformation, aggregation, window

    public static func < (a: ColumnDerivation, b: ColumnDerivation) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .identity: return "identity"
        case .transformation: return "transformation"
        case .aggregation: return "aggregation"
        case .window: return "window"
        }
    }
}

/// One output column of a query and where it comes from. No sources and no `untraceable` reason
/// means a constant.
public struct OutputColumn: Equatable, Sendable {
    public var name: String
    public var derivation: ColumnDerivation
    public var sources: Set<ColumnSource>
    /// Why the column could not be traced (an unknown name, a `*` over a relation with unknown
    /// columns); nil when it was.
    public var untraceable: String?

    public init(name: String, derivation: ColumnDerivation, sources: Set<ColumnSource>, untraceable: String? = nil) {
        self.name = name
        self.derivation = derivation
        self.sources = sources
        self.untraceable = untraceable
    }
}

/// What a query's columns come from, and which columns it uses without returning them.
public struct QueryLineage: Equatable, Sendable {
    public var columns: [OutputColumn]
    /// Columns in join conditions and `using (…)`.
    public var joinKeys: Set<ColumnSource> = []
    /// Columns in `where`, `having` and `qualify`.
    public var filters: Set<ColumnSource> = []
    /// Columns the rows are grouped by.
    public var groupKeys: Set<ColumnSource> = []

    public init(columns: [OutputColumn], joinKeys: Set<ColumnSource> = [], filters: Set<ColumnSource> = [], groupKeys: Set<ColumnSource> = []) {
        self.columns = columns
        self.joinKeys = joinKeys
        self.filters = filters
        self.groupKeys = groupKeys
    }

    public func column(_ name: String) -> OutputColumn? {
        columns.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// A relation the catalog knows: the name lineage uses for it and its columns in order. Lineage
/// is one step deep: a query's columns come from its relations' columns, and a project chains
/// the steps model by model.
public struct KnownRelation: Sendable {
    public var name: String
    public var columns: [String]

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// The error of a statement the parser refused, or that is not a query.
public struct LineageError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
