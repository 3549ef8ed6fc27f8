import XCTest
@testable import Orchestrator

final class LandingFolderSensorTests: XCTestCase {
    private let t0 = instant("2026-05-10T12:00:00Z")

    private func file(_ path: String, _ size: Int64, ageAt now: Date, _ age: TimeInterval) -> LandingFile {
        LandingFile(path: path, size: size, modified: now.addingTimeInterval(-age))
    }

    func testGlobs() throws {
        let csv = try GlobPattern("*.csv")
        XCTAssertTrue(csv.matches("orders.csv"))
        XCTAssertFalse(csv.matches("2026/orders.csv"), "* stays within one folder")
        XCTAssertFalse(csv.matches("orders.csv.tmp"))
        let json = try GlobPattern("orders/*.json")
        XCTAssertTrue(json.matches("orders/a.json"))
        XCTAssertFalse(json.matches("orders/x/a.json"))
        let deep = try GlobPattern("**/*.csv")
        XCTAssertTrue(deep.matches("a.csv"))
        XCTAssertTrue(deep.matches("x/y/a.csv"))
        let mid = try GlobPattern("orders/**/day-?.json")
        XCTAssertTrue(mid.matches("orders/day-1.json"))
        XCTAssertTrue(mid.matches("orders/2026/05/day-9.json"))
        XCTAssertFalse(mid.matches("orders/2026/day-10.json"))
        let sets = try GlobPattern("[a-c]*.[!t]sv")
        XCTAssertTrue(sets.matches("b1.csv"))
        XCTAssertFalse(sets.matches("d1.csv"))
        XCTAssertFalse(sets.matches("b1.tsv"))
    }

    func testGlobErrors() {
        func message(_ p: String) -> String {
            do { _ = try GlobPattern(p); return "no error" } catch { return error.description }
        }
        XCTAssertEqual(message(""), "empty glob; write a pattern such as \"*.csv\"")
        XCTAssertEqual(message("/etc/*"), "glob '/etc/*' is absolute; globs are relative to the landing folder, as in \"orders/*.json\"")
        XCTAssertEqual(message("../*.csv"), "glob '../*.csv' leaves the landing folder with '..'; point the sensor's path at the folder instead")
        XCTAssertEqual(message("a**.csv"), "glob 'a**.csv': '**' must be a whole path segment; write it as in \"orders/**/*.json\"")
        XCTAssertEqual(message("[ab.csv"), "glob '[ab.csv' has a '[' without its ']'")
    }

    func testTakesNewCompleteFilesOnceOldestFirst() throws {
        let sensor = try LandingFolderSensor(glob: "*.csv", minimumAge: 30)
        let listing = [file("b.csv", 10, ageAt: t0, 60), file("a.csv", 10, ageAt: t0, 120), file("notes.txt", 5, ageAt: t0, 600)]
        let first = sensor.evaluate(listing: listing, cursor: .empty, now: t0)
        XCTAssertEqual(first.files.map(\.path), ["a.csv", "b.csv"])
        let second = sensor.evaluate(listing: listing, cursor: first.cursor, now: t0.addingTimeInterval(5))
        XCTAssertEqual(second.files, [])
    }

    func testHalfWrittenFilesWait() throws {
        let sensor = try LandingFolderSensor(glob: "*.csv", minimumAge: 30)
        // Too young.
        let look1 = sensor.evaluate(listing: [file("big.csv", 100, ageAt: t0, 2)], cursor: .empty, now: t0)
        XCTAssertEqual(look1.files, [])
        XCTAssertEqual(look1.waiting.map(\.path), ["big.csv"])
        // Old enough now by its timestamp, but its size changed since the last look.
        let t1 = t0.addingTimeInterval(60)
        let grown = LandingFile(path: "big.csv", size: 500, modified: t0.addingTimeInterval(-2))
        let look2 = sensor.evaluate(listing: [grown], cursor: look1.cursor, now: t1)
        XCTAssertEqual(look2.files, [])
        // Unchanged since the last look and old enough: taken.
        let look3 = sensor.evaluate(listing: [grown], cursor: look2.cursor, now: t1.addingTimeInterval(10))
        XCTAssertEqual(look3.files, [grown])
        XCTAssertEqual(look3.cursor.pending, [:])
    }

    func testFileWrittenAgainLaterIsTakenAgain() throws {
        let sensor = try LandingFolderSensor(glob: "*.csv", minimumAge: 30)
        let v1 = file("daily.csv", 10, ageAt: t0, 60)
        let look1 = sensor.evaluate(listing: [v1], cursor: .empty, now: t0)
        XCTAssertEqual(look1.files, [v1])
        let t1 = t0.addingTimeInterval(3_600)
        let v2 = file("daily.csv", 10, ageAt: t1, 45)  // same size, new content
        let look2 = sensor.evaluate(listing: [v2], cursor: look1.cursor, now: t1)
        XCTAssertEqual(look2.files, [v2])
    }

    func testCursorSurvivesRestartAndBriefEmptyListings() throws {
        let sensor = try LandingFolderSensor(glob: "**/*.json", minimumAge: 0)
        let listing = [file("orders/1.json", 3, ageAt: t0, 10), file("orders/2.json", 4, ageAt: t0, 10)]
        let look1 = sensor.evaluate(listing: listing, cursor: .empty, now: t0)
        XCTAssertEqual(look1.files.count, 2)
        // Persisted as JSON and read back after a restart.
        let restored = try JSONDecoder().decode(LandingCursor.self, from: JSONEncoder().encode(look1.cursor))
        XCTAssertEqual(restored, look1.cursor)
        // The share was briefly unreachable: an empty listing does not make the files new again.
        let empty = sensor.evaluate(listing: [], cursor: restored, now: t0.addingTimeInterval(60))
        let back = sensor.evaluate(listing: listing, cursor: empty.cursor, now: t0.addingTimeInterval(120))
        XCTAssertEqual(back.files, [])
        // Files gone for longer than `forgetAfter` are dropped from the cursor.
        let later = sensor.evaluate(listing: [], cursor: back.cursor, now: t0.addingTimeInterval(8 * 86_400))
        XCTAssertEqual(later.cursor, .empty)
    }
}
