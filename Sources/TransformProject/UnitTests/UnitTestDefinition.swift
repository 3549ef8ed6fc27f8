import Foundation

/// A dbt unit test (`unit_tests:` in a property file): a model run on rows the test gives in place
/// of its inputs, its output compared with the rows the test expects.
///
/// ```yaml
/// unit_tests:
///   - name: lowercases_status
///     model: stg_orders
///     given:
///       - input: ref('raw_orders')
///         rows: [{id: 1, status: SHIPPED}]
///     expect:
///       rows: [{order_id: 1, status: shipped}]
/// ```
public struct UnitTestDefinition: Sendable {
    /// The model under test, by name.
    public var model: String
    public var given: [UnitTestInput]
    public var expect: UnitTestRows
    public var overrides: UnitTestOverrides
}

/// One `given:` entry: which input of the model it stands for, and its rows.
public struct UnitTestInput: Sendable {
    public enum Target: Sendable, Equatable {
        case ref(name: String)
        case source(source: String, table: String)
        /// `this`: the model's own table, for incremental models.
        case this
    }

    public var target: Target
    /// As written (`ref('raw_orders')`), for messages.
    public var written: String
    public var rows: UnitTestRows
}

/// Rows of an input or of the expectation: as values by column (the `dict` and `csv` formats)
/// or a SQL query (`format: sql`).
public enum UnitTestRows: Sendable {
    /// Each row's values by column name, in the order written; a missing column is NULL (inputs)
    /// or not compared (expectations).
    case rows([[(String, ConfigValue)]])
    case sql(String)

    public var rowCount: Int? { if case .rows(let rows) = self { return rows.count } else { return nil } }
}

/// `overrides:`: values of vars, env_vars and macros while the model renders for the test.
public struct UnitTestOverrides: Sendable {
    public var vars: [(String, ConfigValue)] = []
    public var envVars: [(String, ConfigValue)] = []
    /// Macro name → the value the macro returns (`is_incremental: true`).
    public var macros: [(String, ConfigValue)] = []

    public init() {}

    public func macro(_ name: String) -> ConfigValue? { macros.first { $0.0 == name }?.1 }
}
