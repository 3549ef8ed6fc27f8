import Foundation
import XCTest
@testable import TransformProject

/// `freshness:` and `loaded_at_field:` of sources merge as dbt-core 1.11 merges them (source,
/// source config, table, table config; per threshold; null turns off), and bad settings are
/// refused at load time with file:line:col.
final class SourceFreshnessConfigTests: XCTestCase {
    static let hour12 = FreshnessTime(count: 12, period: .hour)
    static let day2 = FreshnessTime(count: 2, period: .day)

    func testATableInheritsTheSourcesThresholdAndLoadedAtField() throws {
        let source = try ProjectLoader.load(Fixtures.options()).manifest.sources["source.jaffle_shop.jaffle.raw_orders"]!
        XCTAssertEqual(source.freshness, FreshnessThreshold(warnAfter: Self.hour12, errorAfter: FreshnessTime()))
        XCTAssertEqual(source.freshness?.isActive, true)
        XCTAssertEqual(source.loadedAtField, "order_date")
    }

    func testTablesOverrideThresholdByThresholdAndNullTurnsOff() throws {
        let sources = try load("""
            version: 2
            sources:
              - name: shop
                loaded_at_field: loaded_at
                freshness:
                  warn_after: {count: 12, period: hour}
                  error_after: {count: 1, period: day}
                  filter: "kind = 'real'"
                tables:
                  - name: inherits
                  - name: stricter_error
                    freshness: {error_after: {count: 2, period: day}}
                  - name: turned_off
                    freshness: null
                  - name: no_warning
                    freshness: {warn_after: null}
                  - name: in_config
                    config:
                      loaded_at_field: updated_at
                      freshness: {warn_after: {count: 5, period: minute}, filter: "true"}
                  - name: no_field
                    loaded_at_field: null
                  - name: other_filter
                    freshness: {filter: "kind = 'other'"}
              - name: quiet
                freshness: null
                tables:
                  - name: unchecked
                  - name: checked
                    loaded_at_field: at
                    freshness: {error_after: {count: 2, period: day}}
              - name: unconfigured
                tables: [{name: plain}]
            """)
        let sourceLevel = FreshnessThreshold(warnAfter: Self.hour12, errorAfter: FreshnessTime(count: 1, period: .day), filter: "kind = 'real'")
        XCTAssertEqual(sources["shop.inherits"]?.freshness, sourceLevel)
        XCTAssertEqual(sources["shop.inherits"]?.loadedAtField, "loaded_at")
        XCTAssertEqual(sources["shop.stricter_error"]?.freshness, FreshnessThreshold(warnAfter: Self.hour12, errorAfter: Self.day2, filter: "kind = 'real'"))
        XCTAssertNil(sources["shop.turned_off"]?.freshness)
        XCTAssertEqual(sources["shop.turned_off"]?.extra("freshness"), .null, "manifest.json says null, as dbt's does")
        XCTAssertEqual(sources["shop.no_warning"]?.freshness,
                       FreshnessThreshold(warnAfter: nil, errorAfter: FreshnessTime(count: 1, period: .day), filter: "kind = 'real'"))
        XCTAssertEqual(sources["shop.in_config"]?.freshness,
                       FreshnessThreshold(warnAfter: FreshnessTime(count: 5, period: .minute), errorAfter: FreshnessTime(count: 1, period: .day), filter: "true"))
        XCTAssertEqual(sources["shop.in_config"]?.loadedAtField, "updated_at")
        XCTAssertNil(sources["shop.no_field"]?.loadedAtField, "an explicit null drops the source's loaded_at_field")
        XCTAssertEqual(sources["shop.no_field"]?.freshness?.isActive, true)
        XCTAssertEqual(sources["shop.other_filter"]?.freshness?.filter, "kind = 'other'")
        XCTAssertNil(sources["quiet.unchecked"]?.freshness)
        XCTAssertEqual(sources["quiet.checked"]?.freshness, FreshnessThreshold(warnAfter: FreshnessTime(), errorAfter: Self.day2))
        let plain = try XCTUnwrap(sources["unconfigured.plain"]?.freshness)
        XCTAssertFalse(plain.isActive, "no thresholds: dbt does not check the table")
        XCTAssertEqual(plain.configValue, .dict([("warn_after", .dict([("count", .null), ("period", .null)])),
                                                 ("error_after", .dict([("count", .null), ("period", .null)])), ("filter", .null)]))
    }

    func testMergeFollowsDbtForEveryLayerCombination() {
        let warn = FreshnessThreshold(warnAfter: Self.hour12)
        let error = FreshnessThreshold(errorAfter: Self.day2)
        XCTAssertEqual(FreshnessThreshold.merged([warn, FreshnessThreshold(), error, FreshnessThreshold()]),
                       FreshnessThreshold(warnAfter: Self.hour12, errorAfter: Self.day2))
        XCTAssertNil(FreshnessThreshold.merged([warn, nil, FreshnessThreshold()]), "null in the source's config ends it")
        XCTAssertEqual(FreshnessThreshold.merged([nil, FreshnessThreshold(), error]), error, "a later threshold turns it back on")
        XCTAssertNil(FreshnessThreshold.merged([nil, FreshnessThreshold(), FreshnessThreshold()]))
        XCTAssertEqual(FreshnessThreshold.merged([warn, FreshnessThreshold(warnAfter: FreshnessTime(count: 3, period: nil))]), warn,
                       "a partial threshold keeps the inherited one")
        XCTAssertNil(FreshnessThreshold.merged([]))
    }

    func testBadSettingsNameTheFileLineAndColumn() throws {
        func error(_ table: String) throws -> TransformError? {
            try Fixtures.loadError(["models/freshness.yml": """
                version: 2
                sources:
                  - name: shop
                    loaded_at_field: loaded_at
                    tables:
                      - name: orders
                \(table)
                """])
        }
        XCTAssertEqual(try error("        freshness: {warn_after: {count: 12, period: weeks}}")?.description,
                       "models/freshness.yml:7:53: error: warn_after has an unknown period 'weeks'; use minute, hour or day")
        XCTAssertEqual(try error("        freshness:\n          error_after: {count: 0, period: day}")?.description,
                       "models/freshness.yml:8:32: error: error_after count must be a positive whole number, got '0'")
        XCTAssertEqual(try error("        freshness: {warn_after: {count: '12', period: hour}}")?.message,
                       "warn_after count must be a positive whole number, got '12'")
        XCTAssertEqual(try error("        freshness: {warn_after: {count: 1.5, period: hour}}")?.message,
                       "warn_after count must be a positive whole number, got '1.5'")
        XCTAssertEqual(try error("        freshness: {warn_after: {count: 12}}")?.message,
                       "warn_after needs both count and period, e.g. {count: 12, period: hour}; dbt ignores one without the other")
        XCTAssertEqual(try error("        freshness: {warn_afer: {count: 12, period: hour}}")?.message,
                       "freshness has an unknown key 'warn_afer'; allowed: warn_after, error_after, filter")
        XCTAssertEqual(try error("        freshness: 12 hours")?.line, 7)
        XCTAssertEqual(try error("        config: {freshness: {error_after: {count: 2, period: fortnight}}}")?.line, 7,
                       "a table's config: is checked the same way")
    }

    /// Sources of a copy of the jaffle shop with one more YAML file, by `source.table`.
    private func load(_ yaml: String) throws -> [String: Node] {
        let dir = try Fixtures.copy(["models/freshness.yml": yaml])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = try ProjectLoader.load(Fixtures.options(dir)).manifest
        var byName: [String: Node] = [:]
        for node in manifest.sources.values { byName["\(node.extra("source_name")?.stringValue ?? "").\(node.name)"] = node }
        return byName
    }
}
