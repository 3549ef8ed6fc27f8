import XCTest

@testable import Ingest

/// connectors.yml: what it declares, and one error at file:line:col for each mistake.
final class ConnectorsFileTests: XCTestCase {
    func testAFilesConnectorWithEveryOption() throws {
        let file = try ConnectorsFile.parse("""
            connectors:
              - name: partner_orders
                kind: files
                description: Orders our partners drop nightly
                path: landing/orders/*.csv
                into: raw.partner_orders
                format: csv
                delimiter: ";"
                header: true
                encoding: latin1
                null_strings: [NA, "\\\\N"]
                columns: {order_id: BIGINT, amount: "numeric(12, 2)", ordered_at: timestamp}
                write_disposition: merge
                primary_key: order_id
                settle_seconds: 30
              - name: events
                path: landing/events
                into: events
            """, path: "/p/connectors.yml")
        XCTAssertEqual(file.connectors.count, 2)
        let orders = file.files[0]
        XCTAssertEqual(orders.into.description, "raw.partner_orders")
        XCTAssertEqual(orders.csv.delimiter, ";")
        XCTAssertEqual(orders.csv.encoding, .latin1)
        XCTAssertEqual(orders.csv.nullStrings, ["NA", "\\N"])
        XCTAssertEqual(orders.columns.map(\.type), ["BIGINT", "DECIMAL(12,2)", "TIMESTAMP"])
        XCTAssertEqual(orders.disposition, .merge)
        XCTAssertEqual(orders.primaryKey, ["order_id"])
        XCTAssertEqual(orders.settleSeconds, 30)
        XCTAssertEqual(orders.location, "connectors.yml:2:5")
        XCTAssertEqual(file.files[1].into.description, "raw.events")
        XCTAssertEqual(file.files[1].disposition, .append)
        XCTAssertEqual(try file.selected(["events"]).map(\.name), ["events"])
        XCTAssertThrowsError(try file.selected(["evnets"])) {
            XCTAssertEqual("\($0)", "no connector named 'evnets' in /p/connectors.yml\n  hint: declared: partner_orders, events")
        }
    }

    func testAPostgresConnector() throws {
        let file = try ConnectorsFile.parse("""
            connectors:
              - name: shop_db
                kind: postgres
                url_env: SHOP_DB_URL
                schema: public
                tables: [orders, order_items]
                cursor_column: updated_at
            """, path: "connectors.yml")
        guard case .postgres(let shop)? = file.connectors.first else { return XCTFail("\(file.connectors)") }
        XCTAssertEqual(shop.tables, ["orders", "order_items"])
        XCTAssertEqual(shop.intoSchema, "raw")
        XCTAssertEqual(shop.cursorColumn, "updated_at")
        XCTAssertEqual(try shop.resolvedURL(environment: ["SHOP_DB_URL": "postgres://u@h/db"]), "postgres://u@h/db")
        XCTAssertThrowsError(try shop.resolvedURL(environment: [:])) {
            XCTAssertTrue("\($0)".hasPrefix("connectors.yml:2:5: connector shop_db reads its database URL from $SHOP_DB_URL, which is not set"), "\($0)")
        }
        XCTAssertThrowsError(try ConnectorsFile.parse("connectors:\n  - name: a\n    kind: postgres\n    url: mysql://x\n", path: "connectors.yml")) {
            XCTAssertTrue("\($0)".hasPrefix("connectors.yml:4:10: url must start with postgres://"), "\($0)")
        }
        XCTAssertThrowsError(try ConnectorsFile.parse("connectors:\n  - name: a\n    kind: postgres\n", path: "connectors.yml")) {
            XCTAssertTrue("\($0)".hasPrefix("connectors.yml:2:5: a postgres connector needs one of `url`"), "\($0)")
        }
    }

    func testEachMistakeIsOneErrorAtItsPlace() {
        let cases: [(String, String)] = [
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a\n    delimter: ','\n",
             "connectors.yml:5:5: unknown key 'delimter' in a files connector — allowed: "),
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a\n    kind: ftp\n",
             "connectors.yml:5:11: kind 'ftp' is not one of files, rest, postgres"),
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a\n    write_disposition: merge\n",
             "connectors.yml:5:24: write_disposition merge needs primary_key"),
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a\n    columns: {id: BIGINTEGER}\n",
             "connectors.yml:5:19: type 'BIGINTEGER' of column id is not one of"),
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a\n    columns: {amount: DECIMAL(12,2)}\n",
             "connectors.yml:5:23: type 'DECIMAL(12' of column amount is cut at a comma: inside {…} a comma separates entries, so quote the type"),
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a.b\n",
             "connectors.yml:4:11: into 'raw.a.b' is not schema.table or table"),
            ("connectors:\n  - name: a\n    into: raw.a\n", "connectors.yml:2:5: a files connector needs `path`"),
            ("connectors:\n  - name: a\n    path: x\n    into: raw.a\n  - name: a\n    path: y\n    into: raw.b\n",
             "connectors.yml:5:5: a second connector named 'a'"),
            ("connectors:\n  - name: a\n   path: x\n", "connectors.yml:3:"),
            ("", "connectors.yml is empty"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ConnectorsFile.parse(text, path: "connectors.yml"), expected) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)\n  expected to start with: \(expected)")
            }
        }
    }
}

/// How PostgreSQL columns travel and land (the loader itself runs against a server in
/// WarehousePostgresTests.PostgresSourceTests).
final class PostgresTypeMapTests: XCTestCase {
    func column(_ type: String, _ formatted: String, element: String? = nil) -> PostgresColumn {
        PostgresColumn(name: "c", formattedType: formatted, typeName: type, elementTypeName: element)
    }

    func testTypesLandExactly() {
        let cases: [(PostgresColumn, String, String)] = [
            (column("int2", "smallint"), "SMALLINT", "\"c\""),
            (column("int8", "bigint"), "BIGINT", "\"c\""),
            (column("numeric", "numeric(12,2)"), "DECIMAL(12,2)", "\"c\"::text"),
            (column("numeric", "numeric"), "DECIMAL(38,9)", "\"c\"::text"),
            (column("numeric", "numeric(60,10)"), "VARCHAR", "\"c\"::text"),
            (column("timestamptz", "timestamp with time zone"), "TIMESTAMPTZ", "\"c\""),
            (column("jsonb", "jsonb"), "JSON", "\"c\"::text"),
            (column("_int4", "integer[]", element: "int4"), "INTEGER[]", "array_to_json(\"c\")::text"),
            (column("_text", "text[]", element: "text"), "VARCHAR[]", "array_to_json(\"c\")::text"),
            (column("bytea", "bytea"), "BLOB", "encode(\"c\", 'hex')"),
            (column("citext", "citext"), "VARCHAR", "\"c\"::text"),
        ]
        for (column, type, select) in cases {
            XCTAssertEqual(PostgresTypeMap.warehouseType(of: column), type, column.formattedType)
            XCTAssertEqual(PostgresTypeMap.selectExpression(of: column), select, column.formattedType)
        }
        XCTAssertEqual(PostgresTypeMap.castExpression(of: column("int2", "smallint"), staged: "x"), "cast(x as SMALLINT)")
        XCTAssertEqual(PostgresTypeMap.castExpression(of: column("_int4", "integer[]", element: "int4"), staged: "x"), "cast(cast(x as JSON) as INTEGER[])")
        XCTAssertEqual(PostgresTypeMap.castExpression(of: column("text", "text"), staged: "x"), "x")
    }
}
