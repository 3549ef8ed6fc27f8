import ArgumentParser
import Foundation
import WarehouseKit

/// `storehouse query "select …"`: runs one query against the warehouse, read-only, and prints
/// the rows.
///
/// It goes through `Warehouse.runReadOnly`, the same door as the SQL explorer: a DuckDB file is
/// opened read-only and sandboxed (no files, network or extensions), the text must be exactly one
/// query, and it runs in a read-only transaction. So a typo cannot drop a table, overwrite a file
/// or create an empty warehouse where none was, and a read-only folder is enough.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one read-only query against the warehouse and print the result.",
        discussion: "Statements that would change anything (INSERT, CREATE, COPY, ATTACH, SET …) and reads of files are refused; changes go through the project and `storehouse build`."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Argument(help: "The SQL to run: one query (use - to read it from standard input).")
    var sql: String

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .table

    @Option(help: "Fetch at most this many rows; 0 = all (default: 1000 for table, all for csv and json).")
    var maxRows: Int?

    @Option(help: "Stop the query after this many seconds (default: no limit).")
    var timeout: Double?

    @OptionGroup var warehouse: WarehouseOptions

    func validate() throws {
        if let maxRows, maxRows < 0 { throw ValidationError("--max-rows must be 0 or more") }
        if let timeout, !(timeout.isFinite && timeout > 0) { throw ValidationError("--timeout must be a number of seconds greater than 0") }
    }

    var rowLimit: Int {
        switch maxRows ?? (format == .table ? 1000 : 0) {
        case 0: return Int.max
        case let limit: return limit
        }
    }

    func run() async throws {
        let text = sql == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : sql
        let store: any Warehouse
        do {
            store = try await warehouse.open(forUntrustedReads: true)
        } catch {
            // Not the query's fault: no warehouse there, a held lock, a bad URL (exit 2, as dbt).
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let answer: ReadOnlyQueryResult
        do {
            answer = try await store.runReadOnly(ReadOnlyQuery(text, rowLimit: rowLimit, timeout: timeout.map { .milliseconds(Int($0 * 1000)) }))
        } catch {
            await store.close()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        await store.close()
        switch format {
        case .table: print(TableRenderer.render(answer.resultSet, moreNotFetched: answer.truncated), terminator: "")
        case .csv: print(answer.resultSet.csvText, terminator: "")
        case .json: print(JSONRenderer.render(answer.resultSet))
        }
        if answer.truncated {
            FileHandle.standardError.write(Data("note: stopped after \(answer.resultSet.count) rows (--max-rows); pass --max-rows 0 for all of them\n".utf8))
        }
    }
}
