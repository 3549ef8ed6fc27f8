import SemanticLayer
import WarehouseDuckDB
import XCTest

/// Every metric type and aggregation, run on DuckDB over rows small enough to check by hand
/// (see ShopFixture.setup).
final class MetricQueryTests: XCTestCase {
    var semantics: SemanticManifest!
    var warehouse: DuckDBWarehouse!

    override func setUp() async throws {
        semantics = try ShopFixture.load()
        warehouse = try await ShopFixture.warehouse()
    }

    override func tearDown() async throws { await warehouse.close() }

    func rows(_ query: MetricQuery) async throws -> [[String]] {
        try await ShopFixture.rows(query, semantics: semantics, in: warehouse)
    }

    func testSimpleMetricsOverEveryAggregation() async throws {
        let all = ["revenue", "orders", "buyers", "average_order_amount", "median_order_amount", "p90_order_amount",
                   "returned_orders", "largest_order", "smallest_order"]
        // Amounts 10 20 30 40 50 80 100: sum 330, median 40, p90 = 80 + 0.4 × (100 − 80) = 88.
        let result = try await rows(MetricQuery(metrics: all))
        XCTAssertEqual(result, [["330", "7", "3", "47.142857", "40", "88", "1", "100", "10"]])
    }

    func testGroupByMonthAndByAJoinedDimension() async throws {
        let byMonth = try await rows(MetricQuery(metrics: ["revenue", "orders"], groupBy: ["metric_time__month"]))
        XCTAssertEqual(byMonth, [["2023-01-01", "40", "1"], ["2024-01-01", "200", "4"], ["2024-02-01", "90", "2"]])
        // customer__segment lives on customers: orders join it many-to-one on the customer entity.
        let bySegment = try await rows(MetricQuery(metrics: ["revenue"], groupBy: ["customer__segment"]))
        XCTAssertEqual(bySegment, [["Regular", "140"], ["VIP", "190"]])
        let both = try await rows(MetricQuery(metrics: ["orders"], groupBy: ["metric_time__year", "customer__country"],
                                              orderBy: ["-metric_time__year", "customer__country"]))
        XCTAssertEqual(both, [["2024-01-01", "DE", "2"], ["2024-01-01", "US", "4"], ["2023-01-01", "US", "1"]])
    }

    func testWeekAndQuarterGrainsAndALocalTimeDimension() async throws {
        // ISO weeks start on Monday: 2024-01-01 was a Monday, 2024-01-10 a Wednesday.
        let weeks = try await rows(MetricQuery(metrics: ["revenue"], groupBy: ["metric_time__week"], startTime: "2024-01-01", endTime: "2024-01-14"))
        XCTAssertEqual(weeks, [["2024-01-01", "180"], ["2024-01-08", "20"]])
        let quarters = try await rows(MetricQuery(metrics: ["orders"], groupBy: ["order__ordered_at__quarter"]))
        XCTAssertEqual(quarters, [["2023-01-01", "1"], ["2024-01-01", "6"]])
    }

    func testWhereFiltersAndMetricFilters() async throws {
        let complete = try await rows(MetricQuery(metrics: ["revenue"], groupBy: ["metric_time__month"],
                                                  filters: ["{{ Dimension('order__status') }} = 'complete'"]))
        XCTAssertEqual(complete.last, ["2024-02-01", "80"])
        // vip_revenue filters on a joined dimension the query does not group by; revenue does not.
        let vip = try await rows(MetricQuery(metrics: ["revenue", "vip_revenue"], groupBy: ["metric_time__month"]))
        XCTAssertEqual(vip, [["2023-01-01", "40", "40"], ["2024-01-01", "200", "150"], ["2024-02-01", "90", "∅"]])
        let time = try await rows(MetricQuery(metrics: ["revenue"], filters: ["{{ TimeDimension('metric_time', 'month') }} = '2024-01-01'"]))
        XCTAssertEqual(time, [["200"]])
    }

    func testFillNullsWithShowsZeroWhereAMetricHasNoRows() async throws {
        let result = try await rows(MetricQuery(metrics: ["orders", "completed_revenue"], groupBy: ["order__status"]))
        XCTAssertEqual(result, [["cancelled", "1", "0"], ["complete", "6", "320"]])
    }

    func testMeasuresOverTheSameRowsShareOneScanAndFilteredOnesDoNot() async throws {
        let query = MetricQuery(metrics: ["revenue", "orders", "aov", "completed_revenue"], groupBy: ["metric_time__month"])
        let sql = try MetricQueryPlanner(semantics, dialect: .duckdb).plan(query).sql
        // revenue, orders and aov's inputs read the orders' rows once; completed_revenue's
        // filter makes other rows, so it is a scan of its own: two reads of the orders table.
        XCTAssertEqual(sql.components(separatedBy: "from \"main\".\"orders\"").count - 1, 2, sql)
        XCTAssertTrue(sql.contains("as value_2"), sql)
        let result = try await rows(query)
        XCTAssertEqual(result, [["2023-01-01", "40", "1", "40", "40"], ["2024-01-01", "200", "4", "50", "200"],
                                ["2024-02-01", "90", "2", "45", "80"]])
    }

    func testRatioMetricsDivideAggregatesNotRows() async throws {
        let aov = try await rows(MetricQuery(metrics: ["aov", "return_rate"], groupBy: ["metric_time__month"]))
        XCTAssertEqual(aov, [["2023-01-01", "40", "0"], ["2024-01-01", "50", "0.25"], ["2024-02-01", "45", "0"]])
        let share = try await rows(MetricQuery(metrics: ["vip_share"]))
        XCTAssertEqual(share, [["0.575758"]])
    }

    func testDerivedMetricsAndYearOverYearOffset() async throws {
        let perBuyer = try await rows(MetricQuery(metrics: ["revenue_per_buyer"]))
        XCTAssertEqual(perBuyer, [["110"]])
        // As MetricFlow: months are aggregated first, then each spine month reads the month a year
        // before it, so 2024's months reappear in 2025 (the fixture's spine runs to 2025-12-31).
        let lastYear = try await rows(MetricQuery(metrics: ["revenue", "revenue_last_year", "revenue_growth_yoy"], groupBy: ["metric_time__month"]))
        XCTAssertEqual(lastYear, [["2023-01-01", "40", "∅", "∅"], ["2024-01-01", "200", "40", "160"], ["2024-02-01", "90", "∅", "∅"],
                                  ["2025-01-01", "∅", "200", "∅"], ["2025-02-01", "∅", "90", "∅"]])
        let planner = MetricQueryPlanner(semantics, dialect: .duckdb)
        XCTAssertThrowsError(try planner.plan(MetricQuery(metrics: ["revenue_last_year"]))) { error in
            XCTAssertTrue("\(error)".contains("metric_time"), "an offset needs metric_time: \(error)")
        }
    }

    func testCumulativeMetricsOverWindowsAndGrainToDate() async throws {
        let daily = try await rows(MetricQuery(metrics: ["revenue_7d", "revenue_mtd"], groupBy: ["metric_time__day"],
                                               startTime: "2024-01-03", endTime: "2024-01-10"))
        XCTAssertEqual(daily.first, ["2024-01-03", "180", "180"])
        // 2024-01-09: the 7 days (01-02, 01-09] hold 50 + 30; the month so far 180.
        XCTAssertEqual(daily.first { $0[0] == "2024-01-09" }, ["2024-01-09", "80", "180"])
        XCTAssertEqual(daily.last, ["2024-01-10", "20", "200"])
        XCTAssertEqual(daily.count, 8)
        // An all-time running total carries on to the end of the time spine, as MetricFlow's does.
        let toDate = try await rows(MetricQuery(metrics: ["revenue_to_date"], groupBy: ["metric_time__day"], orderBy: ["-metric_time__day"], limit: 1))
        XCTAssertEqual(toDate, [["2025-12-31", "330"]])
        // At a coarser grain a running total shows its value on the period's first day with one
        // (MetricFlow's default period_agg: first).
        let monthly = try await rows(MetricQuery(metrics: ["revenue_mtd"], groupBy: ["metric_time__month"], endTime: "2024-02-29"))
        XCTAssertEqual(monthly, [["2023-01-01", "40"], ["2024-01-01", "100"], ["2024-02-01", "80"]])
        // Without metric_time, an all-time total is the plain total; a windowed one is refused.
        let total = try await rows(MetricQuery(metrics: ["revenue_to_date"], endTime: "2024-01-31"))
        XCTAssertEqual(total, [["240"]])
        XCTAssertThrowsError(try MetricQueryPlanner(semantics, dialect: .duckdb).plan(MetricQuery(metrics: ["revenue_7d"])))
    }

    func testNonAdditiveMeasureTakesTheLatestRowPerCustomerAndPeriod() async throws {
        let byMonth = try await rows(MetricQuery(metrics: ["store_credit"], groupBy: ["metric_time__month"]))
        XCTAssertEqual(byMonth, [["2024-01-01", "35"], ["2024-02-01", "7"]])
    }

    func testSavedQueryAndOrderAndLimit() async throws {
        let saved = try XCTUnwrap(semantics.savedQuery(named: "monthly_kpis"))
        XCTAssertEqual(saved.groupBy, ["metric_time__month"])
        let top = try await rows(MetricQuery(metrics: saved.metrics, groupBy: saved.groupBy, orderBy: ["-revenue"], limit: 1))
        XCTAssertEqual(top, [["2024-01-01", "200", "4", "50"]])
    }
}
