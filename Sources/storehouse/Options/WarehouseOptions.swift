import ArgumentParser
import Foundation
import WarehouseDuckDB
import WarehouseKit

/// Where the warehouse is: the embedded DuckDB file of the current project by default.
struct WarehouseOptions: ParsableArguments {
    @Option(name: [.customLong("db"), .customLong("database")],
            help: "The warehouse: a DuckDB file, or a postgres:// URL (default: $STOREHOUSE_DB, else ./storehouse.duckdb).")
    var databasePath: String?

    var resolvedPath: String {
        if let databasePath { return databasePath }
        if let fromEnvironment = ProcessInfo.processInfo.environment["STOREHOUSE_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "storehouse.duckdb"
    }

    var location: WarehouseLocation {
        get throws { try WarehouseLocation(parsing: resolvedPath) }
    }

    func open(forUntrustedReads: Bool = false, duckdbThreads: Int? = nil) async throws -> any Warehouse {
        try await location.open(forUntrustedReads: forUntrustedReads, duckdbThreads: duckdbThreads)
    }
}

/// An error meant for the terminal: what went wrong and what to do. Exits with code 2.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var hint: String?
    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
    var description: String { message + (hint.map { "\n  hint: " + $0 } ?? "") }
}
