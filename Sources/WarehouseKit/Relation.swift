/// A schema-qualified relation name, such as `raw.users`.
public struct RelationName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    /// `"schema"."name"`, safe to splice into SQL.
    public var quoted: String { SQL.quoteIdentifier(schema) + "." + SQL.quoteIdentifier(name) }
    public var description: String { "\(schema).\(name)" }

    public static func < (a: RelationName, b: RelationName) -> Bool { (a.schema, a.name) < (b.schema, b.name) }
}

public enum RelationKind: String, Sendable, Hashable, Codable {
    case table, view
}

public struct RelationInfo: Sendable, Hashable {
    public var name: RelationName
    public var kind: RelationKind
    public init(name: RelationName, kind: RelationKind) {
        self.name = name
        self.kind = kind
    }
}

/// A column as the warehouse reports it; `type` is the engine's own spelling (`BIGINT`, `VARCHAR`).
public struct ColumnInfo: Sendable, Hashable {
    public var name: String
    public var type: String
    public var isNullable: Bool
    public init(name: String, type: String, isNullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
    }
}
