import Foundation
import XCTest

/// `storehouse generate`'s history flags, run as a user would.
final class GenerateCommandTests: XCTestCase {
    func testGrowthAndProfileReachTheGeneratorAndAppendsKeepThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-generate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("store.duckdb").path

        let grown = try StorehouseProcess.run(["generate", "--users", "300", "--as-of", "2024-06-30", "--growth", "15%", "--db", db])
        XCTAssertEqual(grown.status, 0, grown.stderr)
        XCTAssertTrue(grown.stdout.hasPrefix("generated as of 2024-06-30, seed 42, growing +15%/year:"), grown.stdout)
        let appended = try StorehouseProcess.run(["generate", "--days", "3", "--db", db])
        XCTAssertEqual(appended.status, 0, appended.stderr)
        let state = try StorehouseProcess.run(["query", "select profile, growth_per_year from raw._generator_state order by run_number",
                                               "--format", "csv", "--db", db])
        XCTAssertEqual(state.stdout, "profile,growth_per_year\ngrowing,0.15\ngrowing,0.15\n")

        let faithful = try StorehouseProcess.run(["generate", "--users", "300", "--as-of", "2024-06-30", "--profile", "thelook", "--db", db])
        XCTAssertEqual(faithful.status, 0, faithful.stderr)
        XCTAssertTrue(faithful.stdout.hasPrefix("generated as of 2024-06-30, seed 42, thelook profile:"), faithful.stdout)
    }

    func testBadHistoryFlagsGetOneMessageAndExitCodeTwo() throws {
        let cases: [([String], String)] = [
            (["--profile", "shopify"], "error: --profile shopify is not a known profile\n  hint: use growing or thelook\n"),
            (["--growth", "fast"], "error: --growth fast is not a rate\n  hint: write it as 0.3 or 30% for +30% a year\n"),
            (["--growth", "500%"], "error: --growth 500% is not allowed: use a rate from -50% to 300% a year\n"),
            (["--profile", "thelook", "--growth", "0.2"],
             "error: --growth shapes the growing profile; TheLook's rules have no growth rate\n  hint: drop --growth, or drop --profile thelook\n"),
            (["--days", "2", "--growth", "0.2"],
             "error: --days continues the existing load with its own seed, size, as-of date, profile and growth\n  hint: drop --seed, --as-of, --scale, --users, --profile and --growth when appending\n"),
        ]
        for (arguments, message) in cases {
            let run = try StorehouseProcess.run(["generate"] + arguments + ["--db", ":memory:"])
            XCTAssertEqual(run.status, 2, arguments.joined(separator: " "))
            XCTAssertEqual(run.stderr, message)
            XCTAssertEqual(run.stdout, "")
        }
    }
}
