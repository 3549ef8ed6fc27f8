import Foundation
import XCTest
@testable import TransformProject
import WarehouseKit

/// Installed packages (`dbt_packages/`): macros in their own namespaces, `adapter.dispatch` in
/// dbt's search order, generic tests from packages — compared with what dbt-core 1.11 compiled
/// for the same project (Fixtures/packages/expected).
final class PackageLoadingTests: XCTestCase {
    static let fixture = Fixtures.root + "/packages"

    /// The fixture in a temporary folder with its packages linked into dbt_packages/, as `deps`
    /// links local packages; `edits` are paths under the copy (nil deletes).
    static func installedCopy(_ edits: [String: String?] = [:]) throws -> String {
        let dir = NSTemporaryDirectory() + "storehouse-packages-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: fixture, toPath: dir)
        try FileManager.default.createDirectory(atPath: dir + "/shop/dbt_packages", withIntermediateDirectories: true)
        for package in ["util_pkg", "dates_pkg"] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/shop/dbt_packages/" + package, withDestinationPath: dir + "/" + package)
        }
        for (path, text) in edits {
            let full = dir + "/" + path
            if let text { try text.write(toFile: full, atomically: true, encoding: .utf8) } else { try FileManager.default.removeItem(atPath: full) }
        }
        return dir
    }

    static func load(_ dir: String) throws -> LoadedProject {
        try ProjectLoader.load(LoadOptions(projectDir: dir + "/shop", environment: [:], homeDirectory: "/nonexistent"))
    }

    static func loadError(_ edits: [String: String?]) throws -> TransformError? {
        let dir = try installedCopy(edits)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do { _ = try load(dir); return nil } catch let e as TransformError { return e }
    }

    func testCompiledSQLMatchesDbtCore() throws {
        let dir = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try Self.load(dir)
        let compiler = Compiler(project: project, host: OfflineHost(dialect: project.dialect))
        let expected = Self.fixture + "/expected"
        // uses_runtime.sql reads the warehouse while compiling: PackageTests compares it after a build.
        let files = FileManager.default.enumerator(atPath: expected)!.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".sql") && $0 != "models/uses_runtime.sql" }.sorted()
        XCTAssertEqual(files.count, 5)
        var compiledPaths: [String: String] = [:]
        for id in project.manifest.nodes.keys.sorted() {
            guard let compiled = try? compiler.compile(id) else { continue }
            compiledPaths[String(compiled.compiledPath.dropFirst("target/compiled/pkg_shop/".count))] = compiled.sql
        }
        for file in files {
            let want = try String(contentsOfFile: expected + "/" + file, encoding: .utf8)
            XCTAssertEqual(compiledPaths[file], want, "compiled SQL of \(file) differs from dbt-core's")
        }
        XCTAssertEqual(compiledPaths.count, 5, "\(compiledPaths.keys.sorted())")
    }

    func testAPackageTestNamedWithoutItsPackageErrorsWhenRenderedAsInDbt() throws {
        let dir = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try Self.load(dir)
        // dbt parses the node (the statuses in expected/run_results.txt list it) and fails it when it runs.
        let ids = try String(contentsOfFile: Self.fixture + "/expected/run_results.txt", encoding: .utf8)
            .split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(Set(project.manifest.nodes.keys), Set(ids))
        let compiler = Compiler(project: project, host: OfflineHost(dialect: project.dialect))
        XCTAssertThrowsError(try compiler.compile("test.pkg_shop.positive_uses_runtime_first_id.31aa14ea70")) { error in
            XCTAssertTrue("\(error)".contains("'test_positive' is undefined"), "\(error)")
        }
    }

    func testPackageMacrosAreRecordedUnderTheirPackage() throws {
        let dir = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = try Self.load(dir).manifest
        let cents = try XCTUnwrap(manifest.macros["macro.util_pkg.cents"])
        XCTAssertEqual(cents.packageName, "util_pkg")
        XCTAssertEqual(cents.originalFilePath, "macros/cents.sql")
        XCTAssertNotNil(manifest.macros["macro.util_pkg.test_positive"], "tests/generic of a package are macros too")
        XCTAssertNotNil(manifest.macros["macro.pkg_shop.default__label"])
        let model = try XCTUnwrap(manifest.nodes["model.pkg_shop.uses_packages"])
        XCTAssertEqual(Set(model.dependsOnMacros), ["macro.util_pkg.greet", "macro.util_pkg.cents", "macro.util_pkg.label", "macro.dates_pkg.day_name",
                                                    "macro.dbt.dateadd", "macro.util_pkg.first_column_alias"])
        let test = try XCTUnwrap(manifest.nodes["test.pkg_shop.util_pkg_at_most_uses_packages_id__10.c694f5bad4"])
        XCTAssertEqual(test.dependsOnMacros.first, "macro.util_pkg.test_at_most")
        // The config() in the macro row_gap dispatches to is read while loading, as dbt's parser does.
        let rowGap = try XCTUnwrap(manifest.nodes["test.pkg_shop.util_pkg_row_gap_uses_packages_5__id.c4dcaa361e"])
        XCTAssertEqual(rowGap.config.failCalc, "sum(gap)")
        XCTAssertEqual(rowGap.config.warnIf, "> 0")
        XCTAssertEqual(rowGap.config.errorIf, "> 5")
    }

    func testAPackageMacroByItsPlainNameIsUndefinedInAProjectModelAsInDbt() throws {
        let dir = try Self.installedCopy(["shop/models/plain.sql": "select {{ greet(\"'x'\") }} as g"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // dbt's parser lets the undefined name through; compiling the model fails, as in dbt.
        let project = try Self.load(dir)
        XCTAssertThrowsError(try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.pkg_shop.plain")) { error in
            XCTAssertTrue("\(error)".contains("models/plain.sql"), "\(error)")
            XCTAssertTrue("\(error)".contains("'greet' is undefined"), "\(error)")
        }
    }

    func testDispatchThatFindsNothingSaysWhatItSearched() throws {
        // Macros run while parsing too, so the project does not load, as in dbt.
        let error = try XCTUnwrap(try Self.loadError(["shop/models/missing.sql": "select {{ adapter.dispatch('nothing', 'util_pkg')() }} as x"]))
        XCTAssertEqual(error.file, "models/missing.sql")
        XCTAssertEqual(error.line, 1)
        XCTAssertTrue(error.message.contains("No macro named 'nothing' found within namespace: 'util_pkg'"), error.message)
        XCTAssertTrue(error.message.contains("'pkg_shop.duckdb__nothing', 'pkg_shop.default__nothing', 'util_pkg.duckdb__nothing', 'util_pkg.default__nothing'"), error.message)
    }

    func testASearchOrderNamingAPackageThatIsNotInstalledIsAnError() throws {
        let project = """
            name: 'pkg_shop'
            config-version: 2
            profile: 'pkg_shop'
            dispatch:
              - macro_namespace: util_pkg
                search_order: ['util_pkg_fork', 'util_pkg']
            """
        let error = try XCTUnwrap(try Self.loadError(["shop/dbt_project.yml": project]))
        XCTAssertEqual(error.file, "dbt_packages/util_pkg/macros/cents.sql")
        XCTAssertTrue(error.message.contains("package 'util_pkg_fork', which is neither this project nor an installed package"), error.message)
    }

    func testMalformedDispatchConfigIsPlacedInDbtProjectYml() throws {
        let notAList = "name: 'pkg_shop'\nprofile: 'pkg_shop'\ndispatch:\n  macro_namespace: util_pkg\n"
        let e1 = try XCTUnwrap(try Self.loadError(["shop/dbt_project.yml": notAList]))
        XCTAssertEqual(e1.file, "dbt_project.yml")
        XCTAssertEqual(e1.line, 4)
        XCTAssertTrue(e1.message.contains("must be a list"), e1.message)
        let noOrder = "name: 'pkg_shop'\nprofile: 'pkg_shop'\ndispatch:\n  - macro_namespace: util_pkg\n"
        let e2 = try XCTUnwrap(try Self.loadError(["shop/dbt_project.yml": noOrder]))
        XCTAssertEqual(e2.line, 4)
        XCTAssertTrue(e2.message.contains("has no `search_order:`"), e2.message)
    }

    func testAPackageRequiringAnotherDbtVersionIsRefused() throws {
        let pinned = "name: 'util_pkg'\nconfig-version: 2\nrequire-dbt-version: [\">=2.0.0\", \"<3.0.0\"]\n"
        let error = try XCTUnwrap(try Self.loadError(["util_pkg/dbt_project.yml": pinned]))
        XCTAssertEqual(error.file, "dbt_packages/util_pkg/dbt_project.yml")
        XCTAssertEqual(error.line, 3)
        XCTAssertTrue(error.message.contains("requires dbt >=2.0.0, <3.0.0"), error.message)
        XCTAssertTrue(error.message.contains(">=2.0.0 not met"), error.message)
    }

    func testPackagesListedButNotInstalledSayToRunDeps() throws {
        let dir = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: dir + "/shop/dbt_packages")
        XCTAssertThrowsError(try Self.load(dir)) { error in
            let e = error as! TransformError
            XCTAssertEqual(e.file, "packages.yml")
            XCTAssertTrue(e.message.contains("lists 2 package(s) but dbt_packages/ holds 0"), e.message)
            XCTAssertTrue(e.message.contains("storehouse deps"), e.message)
        }
    }

    func testATestFromAPackageThatIsNotInstalledNamesThePackage() throws {
        let yaml = "version: 2\nmodels:\n  - name: uses_packages\n    columns:\n      - name: id\n        data_tests:\n          - audit_pkg.positive\n"
        let error = try XCTUnwrap(try Self.loadError(["shop/models/schema.yml": yaml]))
        XCTAssertEqual(error.file, "models/schema.yml")
        XCTAssertEqual(error.line, 7)
        XCTAssertTrue(error.message.contains("package 'audit_pkg', which is not installed"), error.message)
    }

    func testAMacroDefinedTwiceInAPackageNamesBothFiles() throws {
        let error = try XCTUnwrap(try Self.loadError(["util_pkg/macros/again.sql": "{% macro helper(x) %}{{ x }}{% endmacro %}"]))
        XCTAssertEqual(error.file, "dbt_packages/util_pkg/macros/helper.sql")
        XCTAssertTrue(error.message.contains("macro 'helper' of package 'util_pkg' is defined twice, here and in dbt_packages/util_pkg/macros/again.sql"), error.message)
    }

    func testVersionRangesCompareNumerically() throws {
        XCTAssertEqual(try DbtCompatibility.unmet([">=1.3.0", "<2.0.0"], version: "1.11.0"), [])
        XCTAssertEqual(try DbtCompatibility.unmet([">=1.12.0"], version: "1.11.0"), [">=1.12.0"])
        XCTAssertEqual(try DbtCompatibility.unmet(["1.11.0"], version: "1.11.0"), [])
        XCTAssertLessThan(SemanticVersion("1.8.0b1")!, SemanticVersion("1.8.0")!)
        XCTAssertLessThan(SemanticVersion("1.8.0-rc1")!, SemanticVersion("1.8.0")!)
        XCTAssertLessThan(SemanticVersion("1.9")!, SemanticVersion("1.10.0")!)
        XCTAssertThrowsError(try DbtCompatibility.unmet(["~1.0"]))
    }
}
