import Foundation
import XCTest
@testable import TransformProject

/// Inputs that used to load different data than the files show, or nothing at all without a
/// word: each is now one error or warning with the place and the fix.
final class BadInputTests: XCTestCase {
    // MARK: seeds

    func testAnUnclosedQuoteIsAnErrorAtTheQuoteInsteadOfSwallowingTheRows() {
        XCTAssertThrowsError(try SeedCSV(parsing: "id,name\n1,\"ann\n2,bob\n3,cy\n", file: "seeds/s.csv")) { error in
            XCTAssertEqual((error as? TransformError)?.description,
                           "seeds/s.csv:2:3: error: the quote opened here is never closed, so every row after it would be read into this field; close the quote (write a quote inside a quoted field as \"\")")
        }
    }

    func testQuotedFieldsKeepCommasNewlinesAndQuotesAndCellsKnowWhereTheyStart() throws {
        let csv = try SeedCSV(parsing: "id,note\r\n1,\"a, \"\"b\"\"\nc\"\r\n2,\r\n", file: "seeds/s.csv")
        XCTAssertEqual(csv.header, ["id", "note"])
        XCTAssertEqual(csv.rows, [["1", "a, \"b\"\nc"], ["2", nil]])
        XCTAssertEqual(csv.positions[0][1], .init(line: 2, column: 3))
        XCTAssertEqual(csv.positions[1][0], .init(line: 4, column: 1), "the row after a two-line field")
    }

    func testHeaderNamesMustBePresentAndDistinct() {
        XCTAssertThrowsError(try SeedCSV(parsing: "id,ID\n1,2\n", file: "seeds/s.csv")) { error in
            XCTAssertEqual((error as? TransformError)?.description,
                           "seeds/s.csv:1:4: error: column name 'ID' appears twice in the header (columns 1 and 2); give each column its own name")
        }
        XCTAssertThrowsError(try SeedCSV(parsing: "id,,x\n1,2,3\n", file: "seeds/s.csv")) { error in
            XCTAssertEqual((error as? TransformError)?.line, 1)
            XCTAssertEqual((error as? TransformError)?.column, 4)
        }
        XCTAssertThrowsError(try SeedCSV(parsing: "\n\n", file: "seeds/s.csv")) { error in
            XCTAssertTrue((error as? TransformError)?.message.contains("the seed is empty") ?? false)
        }
    }

    // MARK: encodings

    func testAByteOrderMarkIsNotPartOfTheText() throws {
        XCTAssertEqual(try ProjectText.decode(Data([0xEF, 0xBB, 0xBF]) + Data("id,name\n".utf8), file: "seeds/s.csv"), "id,name\n")
    }

    func testLatin1BytesAreAnErrorAtTheirLineAndColumn() {
        let data = Data("id,name\n1,ann\n2,b".utf8) + Data([0xE9]) + Data("b\n".utf8)
        XCTAssertThrowsError(try ProjectText.decode(data, file: "seeds/s.csv")) { error in
            XCTAssertEqual((error as? TransformError)?.description,
                           "seeds/s.csv:3:4: error: byte 0xE9 is not UTF-8 (the file looks saved as Latin-1 or Windows-1252); save the file as UTF-8")
        }
        XCTAssertEqual(try ProjectText.decode(Data("café ✓\n".utf8), file: "x"), "café ✓\n", "multi-byte UTF-8 is fine")
    }

    // MARK: YAML

    func testADuplicateKeyNamesBothPlaces() throws {
        let e = try Fixtures.loadError(["models/marts/more.yml": "version: 2\nmodels:\n  - name: orders\n    description: one\n    columns: []\n    # a comment\n    description: two\n"])
        XCTAssertEqual(e?.description, "models/marts/more.yml:7:5: error: the key 'description' appears twice in one mapping (first at line 4, column 5); YAML keeps only one of them, so keep one and delete or rename the other")
    }

    func testAPropertyEntryForAModelThatDoesNotExistIsAWarningWithNearNames() throws {
        let dir = try Fixtures.copy(["models/marts/more.yml": "version: 2\nmodels:\n  - name: order\n    description: typo\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let project = try ProjectLoader.load(Fixtures.options(dir))
        XCTAssertEqual(project.warnings.map(\.description), [
            "models/marts/more.yml:3:5: warning: no model named 'order' for this entry under `models:`, so its description, columns and tests are ignored; did you mean 'orders', 'order_events', 'stg_orders'?",
        ])
    }

    func testTwoPropertyEntriesForOneModelAreAnError() throws {
        let e = try Fixtures.loadError(["models/marts/more.yml": "version: 2\nmodels:\n  - name: orders\n    description: again\n"])
        XCTAssertEqual(e?.file, "models/marts/schema.yml", "files are read in name order: more.yml first")
        XCTAssertTrue(e?.message.hasPrefix("model 'orders' is already described in models/marts/more.yml:3;") ?? false, e?.message ?? "")
    }

    // MARK: project and profile

    func testAProjectNameMustBeAnIdentifier() throws {
        let e = try Fixtures.loadError(["dbt_project.yml": "name: 'jaffle-shop'\nprofile: jaffle_shop\n"])
        XCTAssertEqual(e?.line, 1)
        XCTAssertTrue(e?.message.hasPrefix("project name 'jaffle-shop' is not a valid name") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.message.hasSuffix("rename it, e.g. 'jaffle_shop'") ?? false)
        XCTAssertTrue(ProjectSettings.isIdentifier("_shop2"))
        XCTAssertFalse(ProjectSettings.isIdentifier("2shop"))
        XCTAssertFalse(ProjectSettings.isIdentifier("shop.eu"))
    }

    func testThreadsMustBeAWholeNumber() throws {
        XCTAssertEqual(try ProfileReader.threadCount(.int(4), node: nil, file: "p"), 4)
        XCTAssertEqual(try ProfileReader.threadCount(.string("8"), node: nil, file: "p"), 8, "env_var renders a string")
        XCTAssertEqual(try ProfileReader.threadCount(nil, node: nil, file: "p"), 1)
        for bad: ConfigValue in [.string("two"), .int(0), .int(-1), .double(1.5)] {
            XCTAssertThrowsError(try ProfileReader.threadCount(bad, node: nil, file: "profiles.yml")) { error in
                XCTAssertTrue((error as? TransformError)?.message.contains("is not a number of threads") ?? false)
            }
        }
    }

    // MARK: selection

    func testCriteriaThatMatchNothingAreNamedWithNearMatches() throws {
        let selector = try Selector(manifest: ProjectLoader.load(Fixtures.options()).manifest)
        XCTAssertEqual(selector.misses(["stg_ordrs+ orders", "tag:stagin,zzzzzzzzzzzz"]), [
            SelectionMiss(criterion: "stg_ordrs+", nearMatches: ["stg_orders"]),
            SelectionMiss(criterion: "tag:stagin", nearMatches: ["tag:staging"]),
            SelectionMiss(criterion: "zzzzzzzzzzzz", nearMatches: []),
        ])
        XCTAssertEqual(selector.misses(["+orders", "tag:marts", "path:models/staging"]), [])
        XCTAssertEqual(SelectionMiss(criterion: "x", nearMatches: []).description,
                       "the selection criterion 'x' does not match any node; check the spelling, or list what exists with `storehouse ls`")
    }

    func testNearMatchesRankByEditDistance() {
        XCTAssertEqual(NearMatches.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(NearMatches.find("ordrs", among: ["orders", "order_events", "customers"]), ["orders"])
        XCTAssertEqual(NearMatches.find("order", among: ["orders", "order_events", "customers"]), ["orders", "order_events"])
    }
}
