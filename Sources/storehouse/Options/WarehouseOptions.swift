import ArgumentParser
import Foundation
import WarehouseDuckDB
import WarehouseKit

/// Where the warehouse is: the embedded DuckDB file of the current project by default.
struct WarehouseOptions: ParsableArguments {
    @Option(name: [.customLong("db"), .customLong("database")],
            help: "The DuckDB warehouse file (default: $STOREHOUSE_DB, else ./storehouse.duckdb).")
    var databasePath: String?

    var resolvedPath: String {
        if let databasePath { return databasePath }
        if let fromEnvironment = ProcessInfo.processInfo.environment["STOREHOUSE_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "storehouse.duckdb"
    }

    func open(readOnly: Bool = false) throws -> DuckDBWarehouse {
        let path = resolvedPath
        if readOnly, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            throw CLIError("no warehouse at \(path)", hint: "run `storehouse generate` (or `storehouse demo`) first, or pass --db PATH")
        }
        return try DuckDBWarehouse(path: path, readOnly: readOnly)
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
