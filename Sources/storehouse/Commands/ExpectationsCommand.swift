import ArgumentParser
import Foundation
import TransformProject

/// `storehouse expectations export DIR`: the engine's expectation tests as a macro file, so
/// dbt-core can run a project that uses them (put it in the project's `macros/`).
struct ExpectationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expectations",
        abstract: "The expectation tests the engine ships (expect_column_values_to_be_between, …).",
        subcommands: [ExpectationsExportCommand.self])
}

struct ExpectationsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the expectation tests as macros/storehouse_expectations.sql into a dbt project folder, for dbt-core.")

    @Argument(help: "The dbt project folder (the file goes into its macros/ folder).")
    var projectDir: String

    func run() async throws {
        let folder = (projectDir as NSString).appendingPathComponent("macros")
        let path = (folder as NSString).appendingPathComponent("storehouse_expectations.sql")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let header = "{# Written by `storehouse expectations export`: the expectation tests Storehouse ships, for dbt-core. #}\n"
            try Data((header + ExpectationMacros.source).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ProjectCommandFailure.report(CLIError("cannot write \(path): \(error.localizedDescription)", hint: "pass a writable dbt project folder"))
        }
        print("wrote \(path)")
    }
}
