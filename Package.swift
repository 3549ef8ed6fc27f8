// swift-tools-version: 6.1
import Foundation
import PackageDescription

// DuckDB is a C library installed by scripts/install-duckdb.sh (into /usr/local unless
// DUCKDB_PREFIX names another prefix). Swift's linker does not search /usr/local/lib by itself,
// so the prefix is passed explicitly; an install in /usr needs no flags.
let duckdbPrefix: String? = {
    if let named = Context.environment["DUCKDB_PREFIX"], !named.isEmpty { return named }
    return FileManager.default.fileExists(atPath: "/usr/local/include/duckdb.h") ? "/usr/local" : nil
}()
let duckdbSwiftFlags: [SwiftSetting] = duckdbPrefix.map { [.unsafeFlags(["-Xcc", "-I\($0)/include"])] } ?? []
let duckdbLinkFlags: [LinkerSetting] = duckdbPrefix.map {
    [.unsafeFlags(["-L\($0)/lib", "-Xlinker", "-rpath", "-Xlinker", "\($0)/lib"])]
} ?? []

let package = Package(
    name: "Storehouse",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "storehouse", targets: ["storehouse"]),
        .executable(name: "StorehouseBench", targets: ["StorehouseBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Already built for postgres-nio; named here for SHA-1 (package-lock.yml's hash, as dbt's).
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        // Spark Connect: gRPC over HTTP/2 with protobuf messages.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CDuckDB", path: "Sources/CDuckDB"),
        .target(name: "WarehouseKit"),
        .target(
            name: "WarehouseDuckDB",
            dependencies: ["WarehouseKit", "CDuckDB"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .target(
            name: "WarehousePostgres",
            dependencies: ["WarehouseKit", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .target(name: "ArrowIPC"),
        .target(
            name: "WarehouseSpark",
            dependencies: [
                "WarehouseKit", "ArrowIPC",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(name: "WarehouseConformance", dependencies: ["WarehouseKit"]),
        .target(name: "Templating"),
        .target(name: "TransformProject", dependencies: ["Templating", "Yams", "WarehouseKit"]),
        .target(name: "TransformRuntime", dependencies: ["TransformProject", "WarehouseKit", "ColumnLineage", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ColumnLineage"),
        .target(name: "Learning"),
        .target(name: "LearningRuntime", dependencies: ["Learning", "TransformProject", "WarehouseKit", "Yams"]),
        .target(name: "Ingest", dependencies: ["WarehouseKit", "TransformProject", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "SyntheticData", dependencies: ["WarehouseKit"], exclude: ["PLANTED_TRUTHS.md"]),
        .target(name: "SemanticLayer", dependencies: ["TransformProject", "Templating", "WarehouseKit", "Yams"]),
        .target(name: "Orchestrator", dependencies: ["WarehouseKit", "Yams", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Dashboards", dependencies: ["SemanticLayer", "TransformProject", "Templating", "WarehouseKit", "Yams"]),
        .target(
            name: "Server",
            dependencies: [
                "Dashboards", "SemanticLayer", "TransformProject", "TransformRuntime", "ColumnLineage", "WarehouseKit", "Orchestrator",
                "LearningRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "storehouse",
            dependencies: [
                "WarehouseKit", "WarehouseDuckDB", "WarehousePostgres", "WarehouseSpark", "SyntheticData", "TransformProject", "TransformRuntime", "ColumnLineage",
                "SemanticLayer", "Server", "Orchestrator", "Learning", "LearningRuntime", "Ingest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .executableTarget(
            name: "StorehouseBench",
            dependencies: ["WarehouseKit", "WarehouseDuckDB", "SyntheticData", "TransformProject"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(name: "WarehouseKitTests", dependencies: ["WarehouseKit"]),
        .testTarget(name: "ArrowIPCTests", dependencies: ["ArrowIPC"], exclude: ["Fixtures"]),
        .testTarget(
            name: "WarehouseSparkTests",
            dependencies: ["WarehouseSpark", "WarehouseConformance", "WarehouseDuckDB", "SyntheticData", "TransformProject", "TransformRuntime"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "WarehouseDuckDBTests",
            dependencies: ["WarehouseDuckDB", "WarehouseConformance"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "WarehousePostgresTests",
            dependencies: [
                "WarehousePostgres", "WarehouseConformance", "WarehouseDuckDB", "SyntheticData", "TransformProject",
                "TransformRuntime", "Server", "Ingest", "PostgresTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(name: "TemplatingTests", dependencies: ["Templating"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning"]),
        .testTarget(
            name: "LearningRuntimeTests",
            dependencies: ["LearningRuntime", "Learning", "WarehouseDuckDB", "WarehouseKit"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        // A fake HTTP API for the REST tests, shared by the connector's tests and the CLI's.
        .target(name: "RestTestSupport", path: "Tests/RestTestSupport"),
        .target(name: "PostgresTestSupport", dependencies: ["WarehousePostgres"], path: "Tests/PostgresTestSupport"),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "WarehouseDuckDB", "WarehouseKit", "RestTestSupport"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(name: "DashboardsTests", dependencies: ["Dashboards"]),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: ["Orchestrator", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Dashboards", "SemanticLayer", "TransformProject", "WarehouseDuckDB", "WarehouseConformance", "SyntheticData", "TransformRuntime", "Orchestrator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "SemanticLayerTests",
            dependencies: ["SemanticLayer", "TransformProject", "WarehouseDuckDB"],
            exclude: ["Fixtures"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(name: "TransformProjectTests", dependencies: ["TransformProject", "WarehouseKit"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ColumnLineageTests",
            dependencies: ["ColumnLineage", "WarehouseDuckDB", "WarehouseKit"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "TransformRuntimeTests",
            dependencies: ["TransformRuntime", "WarehouseDuckDB"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "SyntheticDataTests",
            dependencies: ["SyntheticData", "WarehouseDuckDB"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "AnalyticsProjectTests",
            dependencies: ["SyntheticData", "TransformRuntime", "TransformProject", "WarehouseDuckDB", "ColumnLineage", "SemanticLayer", "Learning", "LearningRuntime"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
        .testTarget(
            name: "StorehouseCLITests",
            dependencies: ["storehouse", "SyntheticData", "RestTestSupport", "PostgresTestSupport", "WarehousePostgres"],
            swiftSettings: duckdbSwiftFlags,
            linkerSettings: duckdbLinkFlags
        ),
    ]
)
