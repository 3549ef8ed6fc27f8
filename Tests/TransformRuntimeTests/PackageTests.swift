import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import XCTest

/// `storehouse deps` (local, git and hub packages; package-lock.yml as dbt writes it) and a build
/// of a project that uses packages, with the statuses dbt-core gave the same project.
final class PackageTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TransformProjectTests/Fixtures/packages").path

    var dir = ""
    var shop: String { dir + "/shop" }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "storehouse-deps-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ path: String, _ text: String) throws {
        let full = dir + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: dir + "/" + path, encoding: .utf8) }

    @discardableResult
    func git(_ args: String..., in folder: String) throws -> String {
        try GitCommand(workingDirectory: folder).run(["-c", "user.email=t@example.com", "-c", "user.name=t"] + args)
    }

    /// dates_pkg as a git repository with one tagged commit; returns its path.
    func makeDatesRepository() throws -> String {
        let repo = dir + "/dates_repo"
        try FileManager.default.copyItem(atPath: dir + "/dates_pkg", toPath: repo)
        try git("init", "--quiet", "--initial-branch=main", in: repo)
        try git("add", ".", in: repo)
        try git("commit", "--quiet", "-m", "first", in: repo)
        try git("tag", "v1.0", in: repo)
        return repo
    }

    func testLocalPackagesInstallAsLinksAndTheLockIsDbtsByteForByte() throws {
        let report = try PackageInstaller.run(projectDir: shop)
        XCTAssertTrue(report.lockWritten)
        XCTAssertEqual(report.packages.map(\.name), ["util_pkg", "dates_pkg"])
        // dbt links local packages; the lock (hash included) is the one dbt-core wrote for this packages.yml.
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: shop + "/dbt_packages/util_pkg"), dir + "/util_pkg")
        XCTAssertEqual(try read("shop/package-lock.yml"), try String(contentsOfFile: Self.fixture + "/expected/package-lock.yml", encoding: .utf8))
        // And the project loads with them.
        let project = try ProjectLoader.load(LoadOptions(projectDir: shop, environment: [:], homeDirectory: "/nonexistent"))
        XCTAssertNotNil(project.manifest.macros["macro.dates_pkg.day_name"])
    }

    func testAGitPackageIsPinnedToItsCommitAndRerunningChangesNothing() throws {
        let repo = try makeDatesRepository()
        let commit = try git("rev-parse", "HEAD", in: repo)
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n  - git: \(repo)\n    revision: main\n")
        let first = try PackageInstaller.run(projectDir: shop)
        XCTAssertEqual(first.packages.last, InstalledPackageReport(name: "dates_pkg", source: "git \(repo)", version: commit))
        let lock = try read("shop/package-lock.yml")
        XCTAssertTrue(lock.contains("  - git: \(repo)\n    name: dates_pkg\n    revision: \(commit)\n"), lock)
        XCTAssertEqual(try read("shop/dbt_packages/dates_pkg/macros/day_name.sql"), try read("dates_pkg/macros/day_name.sql"))

        // The branch moves on; deps keeps the locked commit until --upgrade.
        try "{% macro day_name(d) %}'moved'{% endmacro %}\n".write(toFile: repo + "/macros/day_name.sql", atomically: true, encoding: .utf8)
        try git("commit", "--quiet", "-am", "second", in: repo)
        let second = try PackageInstaller.run(projectDir: shop)
        XCTAssertFalse(second.lockWritten)
        XCTAssertEqual(second.packages.map(\.version), first.packages.map(\.version))
        XCTAssertEqual(try read("shop/package-lock.yml"), lock)
        XCTAssertEqual(try read("shop/dbt_packages/dates_pkg/macros/day_name.sql"), try read("dates_pkg/macros/day_name.sql"))

        let upgraded = try PackageInstaller.run(projectDir: shop, upgrade: true)
        XCTAssertTrue(upgraded.lockWritten)
        XCTAssertEqual(upgraded.packages.last?.version, try git("rev-parse", "HEAD", in: repo))
        XCTAssertTrue(try read("shop/dbt_packages/dates_pkg/macros/day_name.sql").contains("'moved'"))
    }

    func testAFailedDepsLeavesTheInstalledPackagesAndTheLockAlone() throws {
        let repo = try makeDatesRepository()
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n  - git: \(repo)\n    revision: v1.0\n")
        try PackageInstaller.run(projectDir: shop)
        let lock = try read("shop/package-lock.yml")
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n  - git: \(repo)\n    revision: v9.9\n")
        XCTAssertThrowsError(try PackageInstaller.run(projectDir: shop)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("packages.yml:3"), text)
            XCTAssertTrue(text.contains("revision 'v9.9' is not a branch, tag or commit of \(repo)"), text)
        }
        XCTAssertEqual(try read("shop/package-lock.yml"), lock)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shop + "/dbt_packages/dates_pkg/macros/day_name.sql"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: shop + "/dbt_packages/util_pkg"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: shop).filter { $0.contains("storehouse-deps") }
        XCTAssertEqual(leftovers, [])
    }

    func testARelativeProjectDirLinksLocalPackagesByAbsolutePath() throws {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(shop)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        try PackageInstaller.run(projectDir: ".")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: shop + "/dbt_packages/util_pkg"), dir + "/util_pkg")
    }

    func testAPackagesOwnPackagesAreInstalledToo() throws {
        try write("util_pkg/packages.yml", "packages:\n  - local: ../dates_pkg\n")
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n")
        let report = try PackageInstaller.run(projectDir: shop)
        XCTAssertEqual(report.packages.map(\.name), ["util_pkg", "dates_pkg"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: shop + "/dbt_packages/dates_pkg"), dir + "/dates_pkg")
        XCTAssertTrue(try read("shop/package-lock.yml").contains("  - local: \(dir)/dates_pkg\n    name: dates_pkg\n"))
    }

    func testAHubPackageGetsTheHighestVersionItsRangeAdmits() throws {
        // A hub in a folder, answering as hub.getdbt.com does: an index per package, a tarball per version.
        let hub = dir + "/hub"
        var versions: [String: Any] = [:]
        for version in ["0.9.0", "1.0.0", "1.2.0", "1.3.0-rc1", "2.0.0"] {
            let stage = dir + "/stage-\(version)/acme-dates-\(version)"
            try FileManager.default.createDirectory(atPath: stage + "/macros", withIntermediateDirectories: true)
            try "name: 'dates_pkg'\nversion: '\(version)'\nconfig-version: 2\n".write(toFile: stage + "/dbt_project.yml", atomically: true, encoding: .utf8)
            try "{% macro which() %}'\(version)'{% endmacro %}\n".write(toFile: stage + "/macros/which.sql", atomically: true, encoding: .utf8)
            let tarball = hub + "/tarballs/dates-\(version).tar.gz"
            try FileManager.default.createDirectory(atPath: hub + "/tarballs", withIntermediateDirectories: true)
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tar.arguments = ["tar", "-czf", tarball, "-C", dir + "/stage-\(version)", "acme-dates-\(version)"]
            try tar.run()
            tar.waitUntilExit()
            versions[version] = ["name": "dates_pkg", "downloads": ["tarball": "file://" + tarball]]
        }
        try write("hub/api/v1/acme/dates.json", String(decoding: try JSONSerialization.data(withJSONObject: ["versions": versions]), as: UTF8.self))
        try write("shop/packages.yml", "packages:\n  - package: acme/dates\n    version: [\">=1.0.0\", \"<2.0.0\"]\n")
        let report = try PackageInstaller.run(projectDir: shop, environment: ["DBT_PACKAGE_HUB_URL": "file://" + hub])
        XCTAssertEqual(report.packages, [InstalledPackageReport(name: "dates_pkg", source: "hub acme/dates", version: "1.2.0")])
        XCTAssertEqual(try read("shop/dbt_packages/dates_pkg/macros/which.sql"), "{% macro which() %}'1.2.0'{% endmacro %}\n")
        XCTAssertTrue(try read("shop/package-lock.yml").hasPrefix("packages:\n  - name: dates_pkg\n    package: acme/dates\n    version: 1.2.0\nsha1_hash: "))

        try write("shop/packages.yml", "packages:\n  - package: acme/dates\n    version: \">=3.0.0\"\n")
        XCTAssertThrowsError(try PackageInstaller.run(projectDir: shop, environment: ["DBT_PACKAGE_HUB_URL": "file://" + hub])) { error in
            XCTAssertTrue("\(error)".contains("no version of acme/dates on the package hub meets >=3.0.0"), "\(error)")
        }
    }

    func testBadPackageEntriesAreRefusedWithTheirLine() throws {
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n  - local: ../nowhere\n")
        XCTAssertThrowsError(try PackageInstaller.run(projectDir: shop)) { error in
            XCTAssertTrue("\(error)".contains("packages.yml:3: local package folder ../nowhere does not exist"), "\(error)")
        }
        try write("shop/packages.yml", "packages:\n  - package: dbt-labs/dbt_utils\n")
        XCTAssertThrowsError(try PackageInstaller.run(projectDir: shop)) { error in
            let e = error as! TransformError
            XCTAssertEqual(e.line, 2)
            XCTAssertTrue(e.message.contains("has no `version:`"), e.message)
        }
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n    revision: main\n")
        XCTAssertThrowsError(try PackageInstaller.run(projectDir: shop)) { error in
            XCTAssertTrue("\(error)".contains("unknown key 'revision' in a `local:` package entry"), "\(error)")
        }
        try write("shop/dbt_project.yml", "name: 'pkg_shop'\nprofile: 'pkg_shop'\npackages-install-path: '.'\n")
        try write("shop/packages.yml", "packages:\n  - local: ../util_pkg\n")
        XCTAssertThrowsError(try PackageInstaller.run(projectDir: shop)) { error in
            XCTAssertTrue("\(error)".contains("is the project folder or holds it"), "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: shop + "/models/uses_packages.sql"))
    }

    /// The build gives each node the status dbt-core gave it (Fixtures/packages/expected/run_results.txt),
    /// the models hold dbt's values, and the model that reads the warehouse while compiling
    /// (statement/load_result, get_columns_in_relation, re, set, agate, flags.WHICH) compiles to dbt's SQL.
    func testABuildWithPackagesMatchesDbtCore() async throws {
        try PackageInstaller.run(projectDir: shop)
        let project = try ProjectLoader.load(LoadOptions(projectDir: shop, profilesDir: shop, environment: ["PKG_SHOP_DIR": dir],
                                                         homeDirectory: "/nonexistent"))
        let warehouse = try DuckDBWarehouse(path: dir + "/shop.duckdb")
        let runner = TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 2), reporter: CollectingReporter())
        let summary = try await runner.run()
        let statuses = summary.results.map { "\($0.uniqueId) \($0.status.rawValue)" }.sorted().joined(separator: "\n") + "\n"
        XCTAssertEqual(statuses, try String(contentsOfFile: Self.fixture + "/expected/run_results.txt", encoding: .utf8))
        XCTAssertEqual(summary.results.first { $0.name.hasPrefix("util_pkg_row_gap") }?.failures, 1, "fail_calc sum(gap), not a row count")
        let packages = try await warehouse.read { try await $0.query("select greeting, amount_cents, label, day_name, next_day from main.uses_packages") }
        XCTAssertEqual(packages.rows.first?.map(\.description), ["hello ADA", "150", "label from the project", "Monday", "2024-01-02 00:00:00"])
        XCTAssertEqual(try read("shop/target/compiled/pkg_shop/models/uses_runtime.sql"),
                       try String(contentsOfFile: Self.fixture + "/expected/models/uses_runtime.sql", encoding: .utf8))
        let runtime = try await warehouse.read { try await $0.query("select * from main.uses_runtime") }
        XCTAssertEqual(runtime.rows.first?.map(\.description),
                       ["1", "hello ADA", "id,greeting", "id,greeting,amount_cents,label,day_name,next_day,alias_from_nested_call", "7", "hello_world_", "build", "INTEGER"])
    }
}
