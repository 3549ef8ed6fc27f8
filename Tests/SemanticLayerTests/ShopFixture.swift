import Foundation
import SemanticLayer
import TransformProject
import WarehouseDuckDB
import WarehouseKit
import XCTest

/// The `shop` fixture project loaded, and an in-memory DuckDB holding its models' tables with
/// a handful of rows whose metrics are worked out by hand in the tests.
enum ShopFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/shop").path

    static func load(_ edits: [String: String] = [:]) throws -> SemanticManifest {
        var dir = root
        if !edits.isEmpty {
            dir = NSTemporaryDirectory() + "storehouse-sl-" + UUID().uuidString
            try FileManager.default.copyItem(atPath: root, toPath: dir)
            for (path, text) in edits {
                let full = dir + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
        }
        defer { if dir != root { try? FileManager.default.removeItem(atPath: dir) } }
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, environment: [:], homeDirectory: "/nonexistent"))
        return try SemanticManifest.load(from: project)
    }

    /// The error loading the fixture with `edits` gives.
    static func loadError(_ edits: [String: String]) throws -> SemanticError? {
        do { _ = try load(edits); return nil } catch let error as SemanticError { return error }
    }

    static let setup = """
        create table main.customers (customer_id varchar, segment varchar, country varchar, first_order_date date);
        insert into main.customers values
          ('c1', 'VIP', 'US', '2023-01-03'), ('c2', 'Regular', 'DE', '2024-01-03'), ('c3', 'Regular', 'US', '2024-01-10');
        create table main.orders (order_id integer, customer_id varchar, ordered_at date, status varchar, amount decimal(10,2), is_returned boolean);
        insert into main.orders values
          (1, 'c1', '2024-01-01', 'complete', 100, false),
          (2, 'c1', '2024-01-03', 'complete', 50, true),
          (3, 'c2', '2024-01-03', 'complete', 30, false),
          (4, 'c3', '2024-01-10', 'complete', 20, false),
          (5, 'c2', '2024-02-01', 'complete', 80, false),
          (6, 'c1', '2023-01-03', 'complete', 40, false),
          (7, 'c3', '2024-02-15', 'cancelled', 10, false);
        create table main.order_items (order_item_id integer, order_id integer, sku varchar, quantity integer, added_at date);
        insert into main.order_items values (1, 1, 'A', 2, '2024-01-01'), (2, 1, 'B', 1, '2024-01-01'), (3, 2, 'A', 5, '2024-01-03');
        create table main.balances (customer_id varchar, balance_day date, credit integer);
        insert into main.balances values
          ('c1', '2024-01-01', 10), ('c1', '2024-01-31', 30), ('c2', '2024-01-15', 5), ('c2', '2024-02-10', 7);
        create table main.metricflow_time_spine as
          select cast(d as date) as date_day from range(date '2022-01-01', date '2026-01-01', interval 1 day) t(d);
        """

    static func warehouse() async throws -> DuckDBWarehouse {
        let warehouse = try DuckDBWarehouse(path: ":memory:")
        try await warehouse.write { try await $0.executeScript(setup) }
        return warehouse
    }

    /// Runs a query and returns its rows as text: numbers rounded to 6 decimals, dates ISO, NULL as "∅".
    static func rows(_ query: MetricQuery, semantics: SemanticManifest, in warehouse: DuckDBWarehouse) async throws -> [[String]] {
        let plan = try MetricQueryPlanner(semantics, dialect: .duckdb).plan(query)
        let result = try await warehouse.read { try await $0.query(SQL(unsafeRaw: plan.sql)) }
        XCTAssertEqual(result.columnNames, plan.columns.map(\.name), "the result's columns are the plan's")
        return result.rows.map { $0.map(text) }
    }

    static func text(_ value: WarehouseValue) -> String {
        switch value {
        case .null: return "∅"
        case .int, .double, .decimal:
            let number = value.double!
            let rounded = (number * 1_000_000).rounded() / 1_000_000
            return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
        default: return value.description
        }
    }
}
