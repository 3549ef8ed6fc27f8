import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseKit
import XCTest

/// The pure half of source freshness: dbt's verdict for an age, how the query's row is read,
/// and how times are written into sources.json.
final class SourceFreshnessTests: XCTestCase {
    let hour = FreshnessTime(count: 1, period: .hour)
    let day = FreshnessTime(count: 1, period: .day)

    func testAThresholdIsPassedOnlyWhenStrictlyExceededAndErrorWinsOverWarn() {
        let both = FreshnessThreshold(warnAfter: hour, errorAfter: day)
        XCTAssertEqual(both.status(age: -300), .pass, "rows dated in the future are fresh")
        XCTAssertEqual(both.status(age: 0), .pass)
        XCTAssertEqual(both.status(age: 3600), .pass)
        XCTAssertEqual(both.status(age: 3600.5), .warn)
        XCTAssertEqual(both.status(age: 86_400), .warn)
        XCTAssertEqual(both.status(age: 86_401), .error)
        XCTAssertEqual(FreshnessThreshold(warnAfter: hour).status(age: 1e12), .warn, "without error_after a table only warns")
        XCTAssertEqual(FreshnessThreshold(errorAfter: day).status(age: 86_000), .pass)
        XCTAssertEqual(FreshnessThreshold(warnAfter: nil, errorAfter: FreshnessTime(count: 2, period: .minute)).status(age: 121), .error)
        XCTAssertEqual(FreshnessThreshold().status(age: 1e12), .pass)
        XCTAssertEqual(FreshnessThreshold(warnAfter: FreshnessTime(count: 90, period: .minute)).status(age: 5401), .warn)
        XCTAssertTrue(FreshnessStatus.error.isFailure)
        XCTAssertTrue(FreshnessStatus.runtimeError.isFailure)
        XCTAssertFalse(FreshnessStatus.warn.isFailure, "dbt exits 0 on warnings")
    }

    func testTheQueryRowIsReadAsDbtReadsIt() throws {
        let now = Timestamp(date: CivilDate(year: 2026, month: 1, day: 31), hour: 12)
        let naive = try FreshnessMeasurement(row: [.timestamp(micros: now.micros - 7_200_000_000), .timestampTZ(micros: now.micros)],
                                             field: "loaded_at", relation: "raw.orders")
        XCTAssertEqual(naive.age, 7200, "a timestamp without zone is UTC")
        XCTAssertTrue(naive.hasRows)
        let zoned = try FreshnessMeasurement(row: [.timestampTZ(micros: now.micros + 60_000_000), .timestampTZ(micros: now.micros)],
                                             field: "loaded_at", relation: "raw.orders")
        XCTAssertEqual(zoned.age, -60)

        let empty = try FreshnessMeasurement(row: [.null, .timestampTZ(micros: now.micros)], field: "loaded_at", relation: "raw.orders")
        XCTAssertFalse(empty.hasRows)
        XCTAssertEqual(empty.maxLoadedAt, FreshnessMeasurement.beginningOfTime)
        XCTAssertEqual(empty.age, Double(now.micros - FreshnessMeasurement.beginningOfTime.micros) / 1e6)
        XCTAssertEqual(FreshnessThreshold(warnAfter: hour, errorAfter: day).status(age: empty.age), .error, "no rows is loaded infinitely long ago")

        XCTAssertThrowsError(try FreshnessMeasurement(row: [.date(days: 20_000), .timestampTZ(micros: now.micros)], field: "d", relation: "raw.days")) {
            let message = ($0 as? TransformError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("expected a timestamp when querying 'd' of raw.days but got a date '2024-10-04'"), message)
            XCTAssertTrue(message.contains("cast(d as timestamp)"), message)
        }
        XCTAssertThrowsError(try FreshnessMeasurement(row: [.text("yesterday"), .timestampTZ(micros: now.micros)], field: "t", relation: "raw.t"))
        XCTAssertThrowsError(try FreshnessMeasurement(row: [.timestampTZ(micros: now.micros)], field: "t", relation: "raw.t"))
    }

    func testTheQueryIsDbtsCollectFreshness() {
        let relation = QualifiedRelation(database: "store", schema: "raw", identifier: "orders")
        XCTAssertEqual(FreshnessQuery.sql(relation: relation, loadedAtField: "created_at", filter: "status <> 'test'"), """
            select
              max(created_at) as max_loaded_at,
              current_timestamp as snapshotted_at
            from "store"."raw"."orders"
            where status <> 'test'
            """)
        XCTAssertFalse(FreshnessQuery.sql(relation: relation, loadedAtField: "created_at", filter: "  ").contains("where"))
    }

    func testTimesAreWrittenAsPythonsIsoformat() {
        let noon = Timestamp(date: CivilDate(year: 2024, month: 1, day: 2), hour: 10)
        XCTAssertEqual(SourceFreshnessArtifact.zoned(noon), "2024-01-02T10:00:00+00:00")
        XCTAssertEqual(SourceFreshnessArtifact.zoned(Timestamp(micros: noon.micros + 500)), "2024-01-02T10:00:00.000500+00:00")
        XCTAssertEqual(SourceFreshnessArtifact.zoned(FreshnessMeasurement.beginningOfTime), "0001-01-01T00:00:00+00:00")
        XCTAssertEqual(SourceFreshnessArtifact.utc(Date(timeIntervalSince1970: 86_400.25)), "1970-01-02T00:00:00.250000Z")
    }

    func testAgesAndThresholdsReadLikeSpeech() {
        XCTAssertEqual(FreshnessText.age(45), "45s")
        XCTAssertEqual(FreshnessText.age(125), "2m 5s")
        XCTAssertEqual(FreshnessText.age(3 * 3600 + 120), "3h 2m")
        XCTAssertEqual(FreshnessText.age(3 * 86_400 + 4 * 3600 + 59), "3d 4h")
        XCTAssertEqual(FreshnessText.age(-1), "in the future")
        XCTAssertEqual(FreshnessText.threshold(FreshnessTime(count: 1, period: .day)), "1 day")
        XCTAssertEqual(FreshnessText.threshold(FreshnessTime(count: 36, period: .hour)), "36 hours")
        XCTAssertNil(FreshnessText.threshold(FreshnessTime()))
        XCTAssertNil(FreshnessText.threshold(nil))
    }
}
