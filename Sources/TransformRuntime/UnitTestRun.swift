import Foundation
import TransformProject
import WarehouseKit

extension TransformRunner {
    /// Runs a unit test as dbt's `unit` materialization does: the model's SQL over the fixtures,
    /// projected on the expected columns and typed as the model outputs them, next to the expected
    /// rows, in one query; the two sides compared as multisets. A difference fails the test with
    /// one failure and the table diff as its message.
    func runUnitTest(_ node: Node, into result: inout NodeResult) async throws {
        let id = node.uniqueId
        let compiled = try await withCompiler { try $0.compileUnitTest(id) }
        result.compiledSQL = compiled.sql
        result.compiledPath = compiled.compiledPath
        guard let definition = node.unitTest else { return }

        let output: [ColumnInfo]
        do {
            output = try await warehouse.read { try await $0.query(SQL(unsafeRaw: UnitTestSQL.emptyResult(of: compiled.sql))).columns }
        } catch {
            throw TransformError(file: node.originalFilePath, line: node.line,
                                 "unit test '\(node.name)': the model's SQL over the given rows does not run (\(error)); check the given rows' values and types")
        }
        let byName = Dictionary(output.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let expectedColumns: [ColumnInfo]
        let expectedSQL: String
        switch definition.expect {
        case .rows(let rows):
            expectedColumns = try (rows.first?.map(\.0) ?? output.map(\.name)).map { name in
                guard let column = byName[name.lowercased()] else {
                    throw TransformError(file: node.originalFilePath, line: node.line,
                                         "unit test '\(node.name)': invalid column name '\(name.lowercased())' in the expected output; model '\(definition.model)' returns \(output.map(\.name).map { "'\($0)'" }.joined(separator: ", "))")
                }
                return column
            }
            expectedSQL = try UnitTestSQL.expected(rows, columns: expectedColumns.map {
                UnitTestSQL.Column(name: $0.name, type: UnitTestSQL.castableType($0.type))
            })
        case .sql(let sql):
            expectedColumns = output
            expectedSQL = sql
        }
        let names = expectedColumns.map(\.name)
        let query = UnitTestSQL.comparison(actual: compiled.sql, expected: expectedSQL, columns: names)
        let rows: ResultSet
        do {
            rows = try await warehouse.read { try await $0.query(SQL(unsafeRaw: query)) }
        } catch {
            throw TransformError(file: node.originalFilePath, line: node.line,
                                 "an error occurred during execution of unit test '\(node.name)'; there may be an error in the unit test definition: check the data types.\n\(error)")
        }
        func side(_ which: String) -> [[String?]] {
            rows.rows.filter { $0.last?.string == which }.map { row in row.dropLast().map { $0.isNull ? nil : $0.description } }
        }
        let diff = UnitTestDiff(columns: names, actual: side("actual"), expected: side("expected"))
        if diff.matches {
            result.status = .pass
            result.failures = 0
            result.message = "pass"
        } else {
            result.status = .fail
            result.failures = 1
            result.message = "actual differs from expected:\n\n" + diff.rendered
        }
    }
}
