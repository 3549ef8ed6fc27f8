import Foundation
import Synchronization
import TransformProject
import WarehouseKit

/// Receives freshness progress as each source is checked; the CLI prints it, a job step logs it.
public protocol SourceFreshnessReporter: Sendable {
    func freshnessStarted(total: Int, threads: Int)
    func sourceChecked(_ result: SourceFreshnessResult, index: Int, total: Int)
}

public struct SourceFreshnessOptions: Sendable {
    /// dbt selection syntax (`source:raw`, `source:raw.orders`); empty checks every source.
    public var select: [String]
    public var exclude: [String]
    /// How many checks run at once.
    public var threads: Int

    public init(select: [String] = [], exclude: [String] = [], threads: Int = 4) {
        self.select = select
        self.exclude = exclude
        self.threads = threads
    }
}

/// dbt's `source freshness`: for each selected source table with a warn or error threshold,
/// asks the warehouse for the newest `loaded_at_field`, judges its age, and writes
/// `target/sources.json`.
///
/// ```swift
/// let summary = try await SourceFreshnessRunner(project: project, warehouse: warehouse,
///                                               options: SourceFreshnessOptions(select: ["source:raw"]),
///                                               reporter: reporter).run()
/// if !summary.succeeded { /* a source is stale */ }
/// ```
public final class SourceFreshnessRunner: Sendable {
    let project: LoadedProject
    let warehouse: any Warehouse
    let options: SourceFreshnessOptions
    let reporter: any SourceFreshnessReporter
    /// Worker slots in use, so each result names its thread as dbt does (`Thread-1` …).
    private let busySlots = Mutex<Set<Int>>([])

    public init(project: LoadedProject, warehouse: any Warehouse, options: SourceFreshnessOptions, reporter: any SourceFreshnessReporter) {
        self.project = project
        self.warehouse = warehouse
        self.options = options
        self.reporter = reporter
    }

    var manifest: Manifest { project.manifest }

    /// The selected, enabled source tables that have freshness criteria, by unique id.
    public func selectedSources() throws -> [Node] {
        let selector = try Selector(manifest: manifest)
        let select = options.select.isEmpty ? ["source:*"] : options.select
        return try selector.select(select, exclude: options.exclude, resourceTypes: [.source]).compactMap { id in
            guard let node = manifest.sources[id], node.config.enabled, node.freshness?.isActive == true else { return nil }
            return node
        }
    }

    /// Checks every selected source and writes `sources.json`; never throws for a stale or
    /// failing source (that is its result), only for a bad selection or an unwritable target.
    public func run() async throws -> SourceFreshnessSummary {
        let started = Date()
        let sources = try selectedSources()
        let total = sources.count
        let threads = max(1, options.threads)
        reporter.freshnessStarted(total: total, threads: threads)
        let byId = Dictionary(uniqueKeysWithValues: sources.map { ($0.uniqueId, $0) })
        let results = Mutex<[String: SourceFreshnessResult]>([:])
        let finished = Mutex(0)
        let scheduler = GraphScheduler(nodes: sources.map(\.uniqueId), parents: [:])
        _ = await scheduler.run(threads: threads, failFast: false) { [self] id in
            let result = await check(byId[id]!)
            let index = finished.withLock { $0 += 1; return $0 }
            results.withLock { $0[id] = result }
            reporter.sourceChecked(result, index: index, total: total)
            return .succeeded
        }
        let ordered = results.withLock { all in sources.compactMap { all[$0.uniqueId] } }
        let targetDir = (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
        let path = (targetDir as NSString).appendingPathComponent("sources.json")
        let summary = SourceFreshnessSummary(results: ordered, seconds: Date().timeIntervalSince(started), artifactPath: path)
        try FileManager.default.createDirectory(atPath: targetDir, withIntermediateDirectories: true)
        let data = SourceFreshnessArtifact.json(summary, invocationStartedAt: started)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        return summary
    }

    /// One source: the query, its row read as dbt reads it, the verdict. Errors become a
    /// `runtime error` result carrying the message.
    func check(_ node: Node) async -> SourceFreshnessResult {
        let slot = busySlots.withLock { busy -> Int in
            let free = (1...).first { !busy.contains($0) }!
            busy.insert(free)
            return free
        }
        defer { busySlots.withLock { _ = $0.remove(slot) } }
        let started = Date()
        let criteria = node.freshness ?? FreshnessThreshold()
        var result = SourceFreshnessResult(
            uniqueId: node.uniqueId, sourceName: node.extra("source_name")?.stringValue ?? "", tableName: node.name,
            status: .runtimeError, criteria: criteria, measurement: nil, message: nil, sql: nil,
            startedAt: started, executeStartedAt: started, completedAt: started, threadName: "Thread-\(slot)")
        await measure(node, into: &result)
        result.completedAt = Date()
        return result
    }

    private func measure(_ node: Node, into result: inout SourceFreshnessResult) async {
        let criteria = result.criteria
        guard let field = node.loadedAtField, let relation = node.relation else {
            result.message = """
                source \(result.name) has freshness criteria but no loaded_at_field, and \(warehouse.dialect.name) keeps no \
                last-modified time to fall back on; add `loaded_at_field: <timestamp column>` to the table in \
                \(node.originalFilePath), or turn its check off with `freshness: null`
                """
            return
        }
        let sql = FreshnessQuery.sql(relation: relation, loadedAtField: field, filter: criteria.filter)
        result.sql = sql
        result.executeStartedAt = Date()
        do {
            let row = try await warehouse.read { db in try await db.query(SQL(unsafeRaw: sql)).rows.first ?? [] }
            let measurement = try FreshnessMeasurement(row: row, field: field, relation: relation.description)
            result.measurement = measurement
            result.status = criteria.status(age: measurement.age)
            if !measurement.hasRows {
                result.message = "\(relation) has no row with a \(field)" + (criteria.filter.map { " where \($0)" } ?? "")
                    + ": counted as never loaded"
            }
        } catch let error as TransformError {
            result.message = error.message
        } catch {
            result.message = "\(error)"
        }
    }
}
