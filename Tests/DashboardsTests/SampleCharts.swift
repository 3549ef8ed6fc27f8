import Foundation
import WarehouseKit
@testable import Dashboards

/// Store-shaped sample charts of every kind, the awkward cases included (NULLs, negatives, long
/// and hostile names, empty results), shared by the gallery and by tests.
enum SampleCharts {
    static let hostileName = #"<script>alert("x")</script> & "Co""#

    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    /// 90 days of revenue by channel, with a gap on two days of the web series.
    static var dailyRevenue: ChartData {
        var random = SeededRandom(seed: 7)
        let start = date("2026-01-05")
        let days = (0..<90).map { start.adding(days: $0) }
        let web: [Double?] = days.indices.map { i in (i == 40 || i == 41) ? nil : 9000 + 2500 * sin(Double(i) / 7 * .pi) + 800 * random.normal() + Double(i) * 40 }
        let app: [Double?] = days.indices.map { i in 5200 + 900 * random.normal() + Double(i) * 25 }
        return ChartData(x: days.map(ChartX.date), series: [ChartSeries(name: "web", values: web), ChartSeries(name: "app", values: app)],
                         format: .currency(), timeGrain: .day, dimension: "order_date", yTitle: "Revenue")
    }

    static var monthlyOrders: ChartData {
        let months = (0..<24).map { CivilDate(year: 2025 + $0 / 12, month: $0 % 12 + 1, day: 1) }
        let values: [Double?] = months.indices.map { Double(1200 + $0 * 85 + ($0 % 12 == 10 ? 900 : 0) + ($0 % 12 == 11 ? 1400 : 0)) }
        return ChartData(x: months.map(ChartX.date), series: [ChartSeries(name: "orders", values: values)], format: .integer,
                         timeGrain: .month, dimension: "order_month")
    }

    static var quarterlyMargin: ChartData {
        let quarters = (0..<10).map { CivilDate(year: 2024 + $0 / 4, month: ($0 % 4) * 3 + 1, day: 1) }
        return ChartData(x: quarters.map(ChartX.date), series: [
            ChartSeries(name: "gross margin", values: [0.41, 0.43, 0.39, 0.45, 0.44, 0.47, 0.42, 0.48, 0.5, 0.49]),
            ChartSeries(name: "net margin", values: [0.05, 0.08, -0.02, 0.1, 0.07, 0.12, -0.04, 0.11, 0.14, nil]),
        ], format: .percent, timeGrain: .quarter)
    }

    static let categories = ["Jeans", "Outerwear & Coats", "Sweaters", "Fashion Hoodies & Sweatshirts", "Tops & Tees", "Swim",
                             "Intimates", "Sleep & Lounge", "Accessories", hostileName]

    static var revenueByCategory: ChartData {
        ChartData(categories: categories, values: [412_300, 388_950, 251_000, 198_400, 176_250, 92_800, 88_100, nil, 61_300, 12_450],
                  name: "revenue", format: .currency(), dimension: "product_category")
    }

    static var profitByBrand: ChartData {
        ChartData(categories: ["Levi's", "Carhartt", "Calvin Klein", "Hanes", "Columbia", "Nike"],
                  values: [48_200, 21_750, -6_400, 3_100, -12_900, 30_400], name: "profit", format: .currency(), dimension: "brand")
    }

    static var revenueByRegion: ChartData {
        ChartData(x: ["North America", "Europe", "Asia", "South America"].map(ChartX.category), series: [
            ChartSeries(name: "2024", values: [1.21e6, 0.84e6, 0.52e6, 0.13e6]),
            ChartSeries(name: "2025", values: [1.38e6, 0.91e6, 0.71e6, 0.16e6]),
            ChartSeries(name: "2026", values: [1.52e6, 0.97e6, 0.88e6, nil]),
        ], format: .currency(), dimension: "region")
    }

    static var ordersByChannel: ChartData {
        let months = (0..<12).map { CivilDate(year: 2026, month: $0 + 1, day: 1) }
        let channels = ["Search", "Organic", "Email", "Facebook", "Display"]
        let base = [420.0, 310, 180, 140, 60]
        return ChartData(x: months.map(ChartX.date), series: channels.enumerated().map { c, name in
            ChartSeries(name: name, values: months.indices.map { m in (base[c] * (1 + Double(m) * 0.06 + (m == 10 ? 0.5 : 0))).rounded() })
        }, format: .integer, timeGrain: .month, dimension: "order_month")
    }

    static var funnel: FunnelChart {
        FunnelChart(stages: [("Sessions", 128_400), ("Viewed a product", 71_950), ("Added to cart", 18_230), ("Started checkout", nil),
                             ("Checked out", 6_870), ("Purchased", 4_115)], dimension: "funnel_stage", title: "Checkout funnel")
    }

    static var retention: CohortRetention {
        var random = SeededRandom(seed: 11)
        let cohorts = (0..<12).map { CivilDate(year: 2025, month: $0 + 1, day: 1) }
        let periods = (0..<12).map(String.init)
        let cells: [[Double?]] = cohorts.indices.map { c in
            periods.indices.map { p -> Double? in
                guard p < 12 - c else { return nil }
                if p == 0 { return 1 }
                return max(0.02, 0.34 * pow(0.82, Double(p - 1)) + 0.02 * random.normal())
            }
        }
        let sizes: [Double?] = cohorts.indices.map { Double(900 + $0 * 137) }
        return CohortRetention(cohorts: cohorts.map(ChartX.date), periods: periods, cells: cells, cohortSizes: sizes, grain: .month,
                               dimension: "cohort_month")
    }

    static var orderValues: [Double?] {
        var random = SeededRandom(seed: 3)
        return (0..<2000).map { i in i % 97 == 0 ? nil : (exp(4.1 + 0.6 * random.normal()) * 100).rounded() / 100 }
    }

    static var daysToShipBins: [HistogramBin] {
        [HistogramBin(lower: 0, upper: 1, count: 412), HistogramBin(lower: 1, upper: 2, count: 1_930), HistogramBin(lower: 2, upper: 3, count: 2_410),
         HistogramBin(lower: 3, upper: 4, count: 1_105), HistogramBin(lower: 4, upper: 5, count: 388), HistogramBin(lower: 5, upper: 6, count: 96),
         HistogramBin(lower: 6, upper: 7, count: 31)]
    }

    static var topCustomers: ResultSet {
        ResultSet(columns: [
            ColumnInfo(name: "customer", type: "VARCHAR"), ColumnInfo(name: "segment", type: "VARCHAR"),
            ColumnInfo(name: "orders", type: "BIGINT"), ColumnInfo(name: "lifetime_value", type: "DECIMAL(18,2)"),
            ColumnInfo(name: "refunds", type: "DOUBLE"), ColumnInfo(name: "first_order", type: "DATE"),
        ], rows: [
            [.text("Ada Lovelace"), .text("VIP"), .int(42), .decimal("18233.50"), .double(-120.5), .date(days: Int32(date("2023-02-14").daysSinceEpoch))],
            [.text(hostileName), .text("Regular"), .int(7), .decimal("1204.00"), .null, .date(days: Int32(date("2024-11-02").daysSinceEpoch))],
            [.text("Grace Hopper"), .null, .int(1312), .decimal("1250000.75"), .double(0), .null],
        ])
    }

    /// One chart of every kind (and the awkward variants), with a heading for the gallery.
    static var all: [(heading: String, markup: String)] {
        [
            ("KPI: revenue up", KPIChart(label: "Revenue (last 7 days)", value: 48_213.5, previous: 42_900, format: .currency(),
                                        trend: weekly(dailyRevenue)).render()),
            ("KPI: conversion down (pp)", KPIChart(label: "Conversion rate", value: 0.031, previous: 0.034, format: .percent).render()),
            ("KPI: shipping time down is good", KPIChart(label: "Days to ship", value: 2.4, previous: 2.9, format: .durationDays,
                                                         higherIsBetter: false).render()),
            ("KPI: no value", KPIChart(label: "Refunds", value: nil).render()),
            ("Line: daily revenue, two channels, a gap", LineChart(dailyRevenue, title: "Daily revenue").render()),
            ("Wide: daily revenue (a standard-size copy replaces it on narrow screens)",
             "<div class=\"wide-only\">\(LineChart(dailyRevenue, size: .wide).render())</div>"
                + "<div class=\"narrow-only\">\(LineChart(dailyRevenue).render())</div>"),
            ("Line: monthly orders over two years", LineChart(monthlyOrders).render()),
            ("Line: quarterly margins with negatives", LineChart(quarterlyMargin).render()),
            ("Bar: revenue by category, sorted, long and hostile names", BarChart(revenueByCategory, sort: .descending).render()),
            ("Bar: horizontal", BarChart(revenueByCategory, orientation: .horizontal, sort: .descending).render()),
            ("Bar: profit by brand with losses", BarChart(profitByBrand).render()),
            ("Bar: profit by brand, horizontal", BarChart(profitByBrand, orientation: .horizontal).render()),
            ("Bar: grouped by year", BarChart(revenueByRegion).render()),
            ("Bar: monthly orders", BarChart(monthlyOrders).render()),
            ("Stacked bar: orders by channel", StackedBarChart(ordersByChannel).render()),
            ("Funnel", funnel.render()),
            ("Cohort retention", CohortHeatmap(retention, periodTitle: "Months since first order").render()),
            ("Distribution: order value", DistributionChart(values: orderValues, format: .currency(), countName: "orders",
                                                            xTitle: "Order value", yTitle: "Orders").render()),
            ("Distribution: days to ship (pre-binned)", DistributionChart(bins: daysToShipBins, format: .durationDays,
                                                                          countName: "orders").render()),
            ("Table: top customers", DataTable(topCustomers, formats: ["lifetime_value": .currency(), "refunds": .currency()],
                                                dimensions: ["segment"]).render()),
            ("Edge: one category", BarChart(ChartData(categories: ["Jeans"], values: [412_300], format: .currency())).render()),
            ("Edge: all negative", BarChart(ChartData(categories: ["Q1", "Q2", "Q3"], values: [-1200, -300, -2750], format: .currency())).render()),
            ("Edge: all zero", LineChart(ChartData(categories: ["Mon", "Tue", "Wed"], values: [0, 0, 0], format: .integer)).render()),
            ("Edge: one point in time", LineChart(ChartData(x: [.date(date("2026-03-01"))], series: [ChartSeries(name: "orders", values: [42])],
                                                            format: .integer)).render()),
            ("Edge: nine series, legend wraps", LineChart(manySeries).render()),
            ("Edge: yearly, tiny fractions", LineChart(yearly, includeZero: false).render()),
            ("Edge: hourly timestamps", LineChart(hourly).render()),
            ("Empty: line", LineChart(ChartData(x: [], series: [])).render()),
            ("Empty: table", DataTable(ResultSet(columns: topCustomers.columns, rows: [])).render()),
        ]
    }

    static var manySeries: ChartData {
        let names = ["Search", "Organic", "Email", "Facebook", "Display", "Affiliates", "Referral", "TikTok", "(none)"]
        return ChartData(x: (1...6).map { ChartX.category("W\($0)") }, series: names.enumerated().map { i, name in
            ChartSeries(name: name, values: (1...6).map { Double(10 + i * 7 + $0 * (i % 3)) })
        }, format: .integer)
    }

    static var yearly: ChartData {
        ChartData(x: (2015...2026).map { .date(CivilDate(year: $0, month: 1, day: 1)) },
                  series: [ChartSeries(name: "return rate", values: (0..<12).map { 0.021 + Double($0 % 5) * 0.0013 })], format: .percent)
    }

    static var hourly: ChartData {
        let start = Timestamp(date: date("2026-03-01"))
        return ChartData(x: (0..<48).map { .timestamp(Timestamp(micros: start.micros + Int64($0) * 3_600_000_000)) },
                         series: [ChartSeries(name: "sessions", values: (0..<48).map { 200 + 150 * sin(Double($0) / 24 * 2 * .pi) })], format: .integer)
    }

    /// The daily series summed per 7 days, the shape a KPI sparkline shows.
    static func weekly(_ data: ChartData) -> ChartData {
        let totals = stride(from: 0, to: data.x.count, by: 7).map { start in
            (start..<min(start + 7, data.x.count)).compactMap { data.series[0].values[$0] }.reduce(0, +)
        }
        return ChartData(x: stride(from: 0, to: data.x.count, by: 7).map { data.x[$0] }, series: [ChartSeries(name: "revenue", values: totals)],
                         format: data.format, timeGrain: .week)
    }

    /// An XHTML page (parseable as XML) with every sample chart in a responsive grid of cards.
    static func galleryPage() -> String {
        var page = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Storehouse chart gallery</title>
        <style>
        body { margin: 0; padding: 16px; background: #F6F8FA; font-family: system-ui, sans-serif; color: #1F2328; }
        main { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 16px; max-width: 1400px; }
        section { background: #fff; border: 1px solid #E6E8EB; border-radius: 8px; padding: 12px; min-width: 0; }
        section.wide { grid-column: 1 / -1; }
        @media (max-width: 700px) { .wide-only { display: none; } }
        @media (min-width: 701px) { .narrow-only { display: none; } }
        h2 { font-size: 14px; margin: 0 0 8px; color: #57606A; }
        </style></head><body><h1 style="font-size:18px">Storehouse chart gallery</h1><main>

        """
        for (heading, markup) in all {
            // Tables and wide charts take a whole row, as a dashboard would lay them out.
            let wide = heading.hasPrefix("Table") || heading.hasPrefix("Wide")
            page += "<section\(wide ? " class=\"wide\"" : "")><h2>\(Markup.escape(heading))</h2>\n\(markup)\n</section>\n"
        }
        page += "</main></body></html>\n"
        return page
    }
}
