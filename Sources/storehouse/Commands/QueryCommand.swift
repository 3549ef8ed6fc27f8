import ArgumentParser
import Foundation
import WarehouseKit

/// `storehouse query "select …"`: runs SQL against the warehouse and prints the rows.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run SQL against the warehouse and print the result."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Argument(help: "The SQL to run (use - to read it from standard input).")
    var sql: String

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .table

    @Option(help: "Print at most this many rows in table format (0 = all).")
    var maxRows: Int = 1000

    @OptionGroup var warehouse: WarehouseOptions

    func validate() throws {
        if maxRows < 0 { throw ValidationError("--max-rows must be 0 or more") }
    }

    func run() async throws {
        let text = sql == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : sql
        let store = try await warehouse.open()
        defer { Task { await store.close() } }
        do {
            let result = try await store.write { try await $0.query(SQL(unsafeRaw: text)) }
            switch format {
            case .table: print(TableRenderer.render(result, maxRows: maxRows == 0 ? nil : maxRows), terminator: "")
            case .csv: print(result.csvText, terminator: "")
            case .json: print(JSONRenderer.render(result))
            }
        } catch let error as WarehouseError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
