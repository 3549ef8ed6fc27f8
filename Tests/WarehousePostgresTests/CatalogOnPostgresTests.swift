import Foundation
import TransformRuntime
import WarehouseDuckDB
import WarehouseKit
import WarehousePostgres
import XCTest

/// What `storehouse docs generate` reads for catalog.json, on both engines from the same DDL:
/// relation types, columns in order with each engine's type names, the table's comment, and
/// the row count (and on PostgreSQL the size) the engine keeps.
final class CatalogOnPostgresTests: PostgresServerTestCase {
    static let script = """
        drop schema if exists docs_shop cascade;
        create schema docs_shop;
        create table docs_shop.orders (order_id integer, note varchar, amount numeric(10, 2));
        insert into docs_shop.orders values (1, 'a', 1.50), (2, 'b', 2.25), (3, null, 9.00);
        comment on table docs_shop.orders is 'One row per order';
        create view docs_shop.big_orders as select order_id from docs_shop.orders where amount > 2
        """

    func testBothEnginesDescribeTheSameRelations() async throws {
        var postgres: [CatalogRelation] = []
        try await withWarehouse { warehouse in
            try await warehouse.write { try await $0.executeScript(Self.script + ";\nanalyze docs_shop.orders") }
            postgres = try await WarehouseCatalog.relations(in: ["docs_shop"], of: warehouse)
        }
        let duck = try DuckDBWarehouse(path: ":memory:")
        try await duck.write { try await $0.executeScript(Self.script) }
        let duckdb = try await WarehouseCatalog.relations(in: ["docs_shop"], of: duck)
        await duck.close()

        for (engine, relations) in [("postgres", postgres), ("duckdb", duckdb)] {
            XCTAssertEqual(relations.map(\.name), ["big_orders", "orders"], engine)
            XCTAssertEqual(relations.map(\.type), ["VIEW", "BASE TABLE"], engine)
            let orders = try XCTUnwrap(relations.last)
            XCTAssertEqual(orders.columns.map(\.name), ["order_id", "note", "amount"], engine)
            XCTAssertEqual(orders.columns.map(\.index), [1, 2, 3], engine)
            XCTAssertEqual(orders.rowCount, 3, engine)
            XCTAssertEqual(orders.comment, "One row per order", engine)
            XCTAssertNil(relations.first?.rowCount, "\(engine): a view has no row count")
        }
        XCTAssertEqual(duckdb.last?.columns.map(\.type), ["INTEGER", "VARCHAR", "DECIMAL(10,2)"])
        XCTAssertEqual(postgres.last?.columns.map(\.type), ["INTEGER", "CHARACTER VARYING", "NUMERIC"])
        XCTAssertGreaterThan(postgres.last?.bytes ?? 0, 0, "PostgreSQL reports the table's size")
    }
}
