import Foundation
import WarehouseKit
import XCTest
@testable import SyntheticData

final class ClickstreamTests: XCTestCase {
    static let asOf = CivilDate(year: 2019, month: 11, day: 30)

    /// Reads a REES46 CSV back as rows of fields (the generator never quotes: no field holds a comma).
    func readCSV(_ url: URL) throws -> (header: String, rows: [[Substring]]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.last, "", "the file ends with a newline")
        lines.removeLast()
        let header = String(lines.removeFirst())
        return (header, lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) })
    }

    func testCSVHasREES46ColumnsFormatsAndShares() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clickstream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("clickstream.csv")
        let options = try ClickstreamOptions(seed: 3, rows: 150_000, asOf: Self.asOf, days: 30, workers: 2)
        let written = try await ClickstreamGenerator(options: options).writeCSV(to: file)
        XCTAssertEqual(written, 150_000)

        let (header, rows) = try readCSV(file)
        XCTAssertEqual(header, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session")
        XCTAssertEqual(rows.count, 150_000)
        var types: [Substring: Int] = [:]
        var emptyCode = 0, emptyBrand = 0, emptySession = 0, nonPositivePrice = 0
        var previousTime: Substring = ""
        let timePattern = try NSRegularExpression(pattern: #"^2019-11-(0[1-9]|[12][0-9]|30) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC$"#)
        let uuidPattern = try NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        func matches(_ pattern: NSRegularExpression, _ text: Substring) -> Bool {
            let string = String(text)
            return pattern.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
        }
        for (index, row) in rows.enumerated() {
            XCTAssertEqual(row.count, 9, "row \(index + 2)")
            if index % 97 == 0 {
                XCTAssertTrue(matches(timePattern, row[0]), "row \(index + 2): \(row[0])")
                XCTAssertTrue(row[8].isEmpty || matches(uuidPattern, row[8]), "row \(index + 2): \(row[8])")
                let categoryId = Int64(row[3])!
                XCTAssertTrue((2_000_000_000_000_000_000...2_300_000_000_000_000_000).contains(categoryId), "\(categoryId)")
                XCTAssertNotNil(Int64(row[2]))
                XCTAssertNotNil(Int64(row[7]))
                if !row[4].isEmpty { XCTAssertTrue(row[4].contains(".") && row[4] == row[4].lowercased(), "\(row[4])") }
                XCTAssertEqual(row[5], Substring(row[5].lowercased()))
                XCTAssertNotNil(row[6].firstIndex(of: "."), "price \(row[6]) has decimals")
            }
            XCTAssertLessThanOrEqual(previousTime, row[0], "rows are in time order at row \(index + 2)")
            previousTime = row[0]
            types[row[1], default: 0] += 1
            if row[4].isEmpty { emptyCode += 1 }
            if row[5].isEmpty { emptyBrand += 1 }
            if row[8].isEmpty { emptySession += 1 }
            if Double(row[6])! <= 0 { nonPositivePrice += 1 }
        }
        let total = Double(rows.count)
        XCTAssertEqual(Set(types.keys), ["view", "cart", "remove_from_cart", "purchase"])
        XCTAssertEqual(Double(types["view"]!) / total, 0.945, accuracy: 0.01)
        XCTAssertEqual(Double(types["cart"]!) / total, 0.036, accuracy: 0.008)
        XCTAssertTrue((0.015...0.024).contains(Double(types["purchase"]!) / total), "purchase share \(Double(types["purchase"]!) / total)")
        XCTAssertGreaterThan(types["remove_from_cart"]!, 0)
        XCTAssertEqual(Double(emptyCode) / total, 0.32, accuracy: 0.07)
        XCTAssertEqual(Double(emptyBrand) / total, 0.14, accuracy: 0.05)
        XCTAssertLessThan(Double(emptySession) / total, 0.001, "user_session is rarely empty")
        XCTAssertGreaterThan(nonPositivePrice, 0, "some prices are 0, as in REES46")

        // Exact duplicate cart rows: the same line repeated, up to dozens of times.
        var longestRun = 1, run = 1
        for index in 1..<rows.count {
            if rows[index] == rows[index - 1] {
                run += 1
                XCTAssertEqual(rows[index][1], "cart", "only cart rows repeat")
            } else {
                run = 1
            }
            longestRun = max(longestRun, run)
        }
        XCTAssertGreaterThanOrEqual(longestRun, 10, "some cart rows repeat many times")
        XCTAssertLessThanOrEqual(longestRun, 79)
    }

    func testSameSeedGivesSameRowsWhateverTheWorkers() async throws {
        func digest(_ workers: Int, seed: UInt64 = 5) async throws -> (rows: Int, hash: Int) {
            let options = try ClickstreamOptions(seed: seed, rows: 70_000, asOf: Self.asOf, workers: workers)
            var hasher = Hasher()
            let rows = try await ClickstreamGenerator(options: options).generate { batch in
                for column in batch.columns {
                    for row in 0..<batch.count { hasher.combine("\(column[row])") }
                }
            }
            return (rows, hasher.finalize())
        }
        let one = try await digest(1), two = try await digest(3)
        XCTAssertEqual(one.rows, 70_000)
        XCTAssertEqual(one.rows, two.rows)
        XCTAssertEqual(one.hash, two.hash)
        let other = try await digest(1, seed: 6)
        XCTAssertNotEqual(one.hash, other.hash)
    }

    func testBatchesMatchTheWarehouseSchema() async throws {
        let options = try ClickstreamOptions(seed: 1, rows: 500, asOf: Self.asOf, days: 1, workers: 1)
        var batches: [ColumnBatch] = []
        try await ClickstreamGenerator(options: options).generate { batches.append($0) }
        XCTAssertEqual(batches.map(\.count), [500])
        let batch = batches[0]
        XCTAssertEqual(batch.columns.count, TableSchemas.clickstream.count)
        let dayStart = Int64(Self.asOf.daysSinceEpoch) * 86_400_000_000
        guard case .timestamp(let times) = batch.columns[0].values else { return XCTFail("event_time is a timestamp column") }
        for time in times { XCTAssertTrue((dayStart..<dayStart + 86_400_000_000).contains(time)) }
        XCTAssertEqual(Set((0..<batch.count).compactMap { batch.columns[1][$0].string }).isSubset(of: ["view", "cart", "remove_from_cart", "purchase"]), true)
        // Missing code/brand/session are NULL in the warehouse, never empty strings.
        for column in [4, 5, 8] {
            for row in 0..<batch.count { XCTAssertNotEqual(batch.columns[column][row], .text("")) }
        }
    }

    func testBadClickstreamOptionsAreRejected() {
        XCTAssertThrowsError(try ClickstreamOptions(rows: 0, asOf: Self.asOf)) {
            XCTAssertEqual("\($0)", "clickstream row count 0 is not allowed: generate at least 1 row")
        }
        XCTAssertThrowsError(try ClickstreamOptions(rows: 10, asOf: Self.asOf, days: 0)) {
            XCTAssertEqual("\($0)", "a clickstream of 0 days is not allowed: cover at least 1 day")
        }
        XCTAssertEqual(ClickstreamOptions.rows(scale: 0.5), 500_000)
        XCTAssertEqual(ClickstreamOptions.rows(scale: 0.0000001), 1)
    }
}
