import Foundation
import Synchronization
import TransformProject
import WarehouseKit

/// Receives progress as nodes finish; the CLI prints it, tests collect it.
public protocol RunReporter: Sendable {
    func runStarted(total: Int, threads: Int)
    func nodeFinished(_ result: NodeResult, index: Int, total: Int)
    /// Criteria of `--select` that matched nothing, told before the run starts.
    func selectionMissed(_ misses: [SelectionMiss])
}

extension RunReporter {
    public func selectionMissed(_ misses: [SelectionMiss]) {}
}

/// Executes a loaded project against a warehouse: seeds, models, snapshots and tests in DAG
/// order, independent nodes in parallel up to `threads`, each node atomic in one transaction.
public final class TransformRunner: Sendable {
    let project: LoadedProject
    let warehouse: any Warehouse
    let options: RunOptions
    let reporter: any RunReporter
    let compiler: Mutex<Compiler>
    let host: LiveHost
    /// Worker slots in use, so run_results.json names the thread a node ran on as dbt does
    /// (`Thread-1` … `Thread-N`, the lowest free slot).
    private let busySlots = Mutex<Set<Int>>([])
    /// Each node's compiled SQL goes to target/compiled as it compiles, off the run's path.
    let compiledFiles: BackgroundCompiledFiles

    public init(project: LoadedProject, warehouse: any Warehouse, options: RunOptions, reporter: any RunReporter) {
        self.project = project
        self.warehouse = warehouse
        self.options = options
        self.reporter = reporter
        host = LiveHost(warehouse: warehouse, fullRefresh: options.fullRefresh, command: options.command.rawValue)
        compiler = Mutex(Compiler(project: project, host: host))
        compiledFiles = BackgroundCompiledFiles(projectRoot: project.manifest.projectRoot)
    }

    var manifest: Manifest { project.manifest }
    var sql: MaterializationSQL { MaterializationSQL(dialect: warehouse.dialect) }

    /// The nodes this run executes, parents before children.
    public func selectedNodes() throws -> [String] {
        try selection().ids
    }

    /// The selected nodes and the criteria of `--select` that matched nothing.
    func selection() throws -> (ids: [String], misses: [SelectionMiss]) {
        let state = try options.statePath.map { try SelectionState.read(directory: $0) } ?? SelectionState()
        let selector = try Selector(manifest: manifest, state: state)
        let types = options.command.resourceTypes
        let ids = try selector.select(options.select, exclude: options.exclude, resourceTypes: types).filter { id in
            guard let node = manifest.nodes[id] else { return false }
            return types.contains(node.resourceType) && !node.isEphemeral && node.resourceType != .analysis
        }
        return (ids, selector.misses(options.select))
    }

    /// Runs the selection and writes `target/run_results.json` and `target/manifest.json`.
    public func run() async throws -> RunSummary {
        let started = Date()
        let (ids, misses) = try selection()
        if !misses.isEmpty { reporter.selectionMissed(misses) }
        try await host.refreshExistingRelations()
        try await createSchemas(for: ids)
        let total = ids.count
        reporter.runStarted(total: total, threads: options.threads)

        let results = Mutex<[String: NodeResult]>([:])
        let finishedCount = Mutex(0)
        let edges = dependencyEdges(for: ids)
        let scheduler = GraphScheduler(nodes: ids, parents: edges)
        let batchKey = testBatchKey(edges: edges)
        let warehouse = self.warehouse
        let skipped = await scheduler.run(threads: options.threads, failFast: options.failFast, batchKey: batchKey,
                                          concurrency: { await warehouse.expectConcurrentQueries($0) }) { [self] batch in
            let batchResults = batch.count == 1 ? [await execute(batch[0])] : await executeTestsInOneQuery(batch)
            return batchResults.map { result in
                let index = finishedCount.withLock { $0 += 1; return $0 }
                results.withLock { $0[result.uniqueId] = result }
                reporter.nodeFinished(result, index: index, total: total)
                return result.status.blocksDescendants ? .failed(blocksDescendants: true)
                    : result.status == .warn ? .failed(blocksDescendants: false) : .succeeded
            }
        }
        await warehouse.expectConcurrentQueries(options.threads)
        for id in skipped {
            let node = manifest.nodes[id]!
            let result = NodeResult(
                uniqueId: id, name: node.name, resourceType: node.resourceType, status: .skipped,
                message: options.failFast ? "skipped: fail-fast stopped the run, or an upstream node failed" : "skipped: an upstream node failed",
                rowsAffected: nil, failures: nil, failingRows: nil, profile: nil, seconds: 0, startedAt: Date(), compiledSQL: nil, compiledPath: nil,
                relationName: node.relation?.description, threadName: "main")
            let index = finishedCount.withLock { $0 += 1; return $0 }
            results.withLock { $0[id] = result }
            reporter.nodeFinished(result, index: index, total: total)
        }
        let ordered = results.withLock { all in ids.compactMap { all[$0] } }
        let summary = RunSummary(results: ordered, seconds: Date().timeIntervalSince(started))
        try writeArtifacts(summary)
        return summary
    }

    /// The manifest's edges among the selected nodes; under `build`, a model's tests also gate
    /// the model's children, so a failing test skips everything downstream, as in dbt.
    func dependencyEdges(for ids: [String]) -> [String: Set<String>] {
        let selected = Set(ids)
        var parents: [String: Set<String>] = [:]
        for id in ids { parents[id] = Set(ancestorsThroughUnselected(id, selected: selected)) }
        // A unit test runs once the model's inputs exist (their columns type its fixture rows).
        for id in ids where manifest.nodes[id]?.resourceType == .unitTest {
            let model = manifest.nodes[id]?.dependsOnNodes.first ?? ""
            parents[id] = Set(ancestorsThroughUnselected(model, selected: selected).filter { $0 != id })
        }
        guard options.command == .build else { return parents }
        // `build` runs a model's unit tests before the model, and a failing one skips the model
        // and everything built from it, as dbt 1.8+ does.
        for id in ids where manifest.nodes[id]?.resourceType == .unitTest {
            if let model = manifest.nodes[id]?.dependsOnNodes.first, selected.contains(model) { parents[model, default: []].insert(id) }
        }
        return BuildTestGating.edges(parents: parents) { manifest.nodes[$0]?.resourceType == .test }
    }

    /// Parents of `id` among the selection, looking through unselected and ephemeral nodes so
    /// order is kept when a middle node is not part of the run.
    private func ancestorsThroughUnselected(_ id: String, selected: Set<String>) -> [String] {
        var found: Set<String> = []
        var seen: Set<String> = []
        var stack = manifest.nodes[id]?.dependsOnNodes ?? []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            if selected.contains(next) { found.insert(next) } else { stack.append(contentsOf: manifest.nodes[next]?.dependsOnNodes ?? []) }
        }
        return found.sorted()
    }

    private func createSchemas(for ids: [String]) async throws {
        var schemas: Set<String> = []
        for id in ids {
            guard let node = manifest.nodes[id] else { continue }
            if let relation = node.relation, node.resourceType != .test { schemas.insert(relation.schema) }
            if node.resourceType == .test, node.config.storeFailures == true { schemas.insert(auditSchema) }
        }
        let existing = Set(try await warehouse.read { try await $0.schemas() })
        for schema in schemas.sorted() where !existing.contains(schema) {
            try await warehouse.write { [sql] db in try await db.execute(SQL(unsafeRaw: sql.createSchema(schema))) }
        }
    }

    var auditSchema: String { manifest.target.schema + "_dbt_test__audit" }

    // MARK: one node

    /// Runs `body` holding the lowest free worker slot (`Thread-N` in run_results.json).
    func withWorkerSlot<T>(_ body: (Int) async -> T) async -> T {
        let slot = busySlots.withLock { busy -> Int in
            let free = (1...).first { !busy.contains($0) }!
            busy.insert(free)
            return free
        }
        defer { busySlots.withLock { _ = $0.remove(slot) } }
        return await body(slot)
    }

    /// A node's result before it runs: successful, nothing measured yet.
    func startingResult(_ node: Node, slot: Int, at started: Date) -> NodeResult {
        NodeResult(
            uniqueId: node.uniqueId, name: node.name, resourceType: node.resourceType, status: .success, message: "",
            rowsAffected: nil, failures: nil, failingRows: nil, profile: nil, seconds: 0, startedAt: started, compiledSQL: nil, compiledPath: nil,
            relationName: node.relation?.description, threadName: "Thread-\(slot)")
    }

    func execute(_ id: String) async -> NodeResult {
        await withWorkerSlot { slot in await execute(id, slot: slot) }
    }

    private func execute(_ id: String, slot: Int) async -> NodeResult {
        let node = manifest.nodes[id]!
        let started = Date()
        var result = startingResult(node, slot: slot, at: started)
        do {
            switch node.resourceType {
            case .seed:
                // A seed's pre- and post-hooks run around its load, each rendered when it runs (as
                // dbt does), so a post-hook's `adapter.drop_relation(this)` finds the loaded table.
                let loaded = try await RelationBuildLocks.building(node.relation?.description ?? id) {
                    try await runHooks(of: node, post: false)
                    let rows = try await SeedLoader(project: project, warehouse: warehouse).load(node)
                    try await runHooks(of: node, post: true)
                    return rows
                }
                result.rowsAffected = loaded
                result.message = "INSERT \(loaded)"
                host.markExists(node.relation)
            case .model, .snapshot, .test:
                let compiled = try await compile(id)
                compiledFiles.enqueue(compiled)
                result.compiledSQL = compiled.sql
                result.compiledPath = compiled.compiledPath
                switch node.resourceType {
                case .model, .snapshot:
                    let before = result
                    result = try await RelationBuildLocks.building(node.relation?.description ?? id) {
                        var built = before
                        if node.resourceType == .model {
                            try await buildModel(node, compiled, into: &built)
                        } else {
                            try await buildSnapshot(node, compiled, into: &built)
                        }
                        return built
                    }
                case .test where Compiler.keepsColumnProfile(node):
                    // Distribution tests read and then rewrite one shared profiles table: one at a
                    // time, so none reads it while another replaces it (no transaction keeps them
                    // apart on Spark, where the table is rewritten under a new name and swapped in).
                    let before = result
                    result = try await RelationBuildLocks.building("storehouse column profiles") {
                        var judged = before
                        try await runTest(node, compiled.sql, into: &judged)
                        try await finishDistributionTest(node, result: &judged)
                        return judged
                    }
                default:
                    try await runTest(node, compiled.sql, into: &result)
                }
            case .unitTest:
                try await runUnitTest(node, into: &result)
            default:
                result.message = "nothing to run for a \(node.resourceType.rawValue)"
            }
        } catch {
            result.status = .error
            result.message = NodeErrorContext.message(for: error, node: node, manifest: manifest, exists: host.relationExists)
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    func compile(_ id: String) async throws -> CompiledNode {
        try await withCompiler { try $0.compile(id) }
    }

    /// Runs `body` with the compiler on a plain thread: compilation may call `run_query`, which
    /// waits on the warehouse.
    func withCompiler<T: Sendable>(_ body: @escaping @Sendable (Compiler) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { [self] in
                continuation.resume(with: Result { try compiler.withLock { try body($0) } })
            }
        }
    }

    private func runHooks(of node: Node, post: Bool) async throws {
        guard !(post ? node.config.postHooks : node.config.preHooks).isEmpty else { return }
        let hooks = try await withCompiler { try $0.hooks(of: node.uniqueId, post: post) }
        let statements = hooks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard !statements.isEmpty else { return }
        try await warehouse.write { db in for hook in statements { try await db.executeScript(hook) } }
    }

    private func relation(of node: Node) throws -> RelationName {
        guard let relation = node.relation else { throw TransformError(file: node.originalFilePath, "\(node.uniqueId) has no relation to build") }
        return RelationName(schema: relation.schema, name: relation.identifier)
    }

    private func buildModel(_ node: Node, _ compiledNode: CompiledNode, into result: inout NodeResult) async throws {
        let compiled = compiledNode.sql
        let target = try relation(of: node)
        let materialized = node.config.materialized
        let fullRefresh = options.fullRefresh && node.config.fullRefresh != false
        let sql = self.sql
        let hooks = (pre: compiledNode.preHooks, post: compiledNode.postHooks)
        let profiling = options.profile
        // Where a table is replaced in one statement (DuckDB), the run's own record of relations is
        // enough to choose the statements; so it is where there are no transactions (Spark), as the
        // catalog's answer would hold no longer than the record's and costs two statements there.
        // Elsewhere (PostgreSQL) the catalog is asked inside the transaction the swap runs in.
        let recorded = sql.dialect.supportsCreateOrReplaceTable || !sql.dialect.supportsTransactions
        let host = self.host
        let outcome: (rows: Int?, message: String, profiles: [QueryProfile]) = try await warehouse.session { db in
            let statementRunner = StatementRunner(db: db, profiling: profiling)
            let existing = recorded ? host.relationKind(target) : try await db.relationKind(target)
            var statements: [String]
            switch materialized {
            case "view":
                statements = sql.view(target, sql: compiled, existing: existing)
            case "table":
                // The run's record also says whether a killed build left the temporary name behind.
                let leftover = !recorded || host.relationKind(MaterializationSQL.buildingName(target)) != nil
                statements = sql.table(target, sql: compiled, existing: existing, leftover: leftover, partitionBy: node.config.partitionBy)
            case "incremental":
                if existing == .table && !fullRefresh {
                    let rows = try await db.transactionWhereSupported {
                        for hook in hooks.pre { try await db.executeScript(hook) }
                        let rows = try await self.applyIncremental(node, compiled, target: target, db: db, run: statementRunner)
                        for hook in hooks.post { try await db.executeScript(hook) }
                        return rows
                    }
                    return (rows, "incremental: \(rows) rows", await statementRunner.profiles)
                }
                statements = sql.table(target, sql: compiled, existing: existing, partitionBy: node.config.partitionBy)
            default:
                throw TransformError(file: node.originalFilePath,
                                     "unknown materialization '\(materialized)' for \(node.name); use view, table, incremental or ephemeral")
            }
            // One statement without hooks commits on its own; anything more runs in one transaction.
            var changed: Int?
            if statements.count == 1 && hooks.pre.isEmpty && hooks.post.isEmpty {
                changed = try await statementRunner.run(statements[0])
            } else {
                try await db.transactionWhereSupported {
                    for hook in hooks.pre { try await db.executeScript(hook) }
                    for statement in statements { try await statementRunner.run(statement) }
                    for hook in hooks.post { try await db.executeScript(hook) }
                }
            }
            if materialized == "view" { return (nil, "view", await statementRunner.profiles) }
            // `create table … as` reports the rows it wrote; after a swap or hooks, count them.
            let rows: Int?
            if let changed { rows = changed } else { rows = try await db.query("select count(*) from \(target)").scalar?.int64.map(Int.init) }
            return (rows, "table", await statementRunner.profiles)
        }
        result.profile = QueryProfile.combined(outcome.profiles)
        host.markExists(node.relation, kind: materialized == "view" ? .view : .table)
        // Post-hooks with Jinja render now that the relation is built and committed.
        if Compiler.rendersAtRun(node.config.postHooks) { try await runHooks(of: node, post: true) }
        result.rowsAffected = outcome.rows
        result.message = outcome.message
    }

    /// Stages the model's new rows, reconciles columns per `on_schema_change`, then applies the
    /// strategy. Runs inside the caller's transaction.
    private func applyIncremental(_ node: Node, _ compiled: String, target: RelationName, db: any WarehouseConnection,
                                  run: StatementRunner) async throws -> Int {
        let keys = node.config.uniqueKey ?? []
        let strategyName = node.config.incrementalStrategy ?? (keys.isEmpty ? "append" : "delete+insert")
        guard let strategy = IncrementalStrategy(rawValue: strategyName) else {
            throw TransformError(file: node.originalFilePath,
                                 "incremental_strategy '\(strategyName)' is not one of append, merge, delete+insert, insert_overwrite")
        }
        if strategy == .insertOverwrite && !sql.dialect.supportsPartitionedTables {
            throw TransformError(file: node.originalFilePath,
                                 "incremental_strategy 'insert_overwrite' replaces partitions, which the \(sql.dialect.name) warehouse does not have; use merge or delete+insert with a unique_key")
        }
        let (staging, stage) = sql.incrementalStaging(target, sql: compiled)
        for statement in stage { try await run.run(statement) }
        let stagedColumns = try await db.columns(of: staging)
        var targetColumns = try await db.columns(of: target)
        let targetNames = Set(targetColumns.map { $0.name.lowercased() })
        let stagedNames = Set(stagedColumns.map { $0.name.lowercased() })
        let added = stagedColumns.filter { !targetNames.contains($0.name.lowercased()) }
        let removed = targetColumns.filter { !stagedNames.contains($0.name.lowercased()) }
        guard let policy = SchemaChangePolicy(rawValue: node.config.onSchemaChange) else {
            throw TransformError(file: node.originalFilePath,
                                 "on_schema_change '\(node.config.onSchemaChange)' is not one of ignore, fail, append_new_columns, sync_all_columns")
        }
        if !added.isEmpty || !removed.isEmpty {
            switch policy {
            case .ignore: break
            case .fail:
                throw TransformError(file: node.originalFilePath, """
                    the columns of \(node.name) changed (new: \(added.map(\.name).joined(separator: ", ")); \
                    gone: \(removed.map(\.name).joined(separator: ", "))) and on_schema_change is 'fail'; \
                    run with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns
                    """)
            case .appendNewColumns, .syncAllColumns:
                for column in added {
                    try await db.execute(SQL(unsafeRaw: "alter table \(target.quoted) add column \(SQL.quoteIdentifier(column.name)) \(column.type)"))
                }
                if policy == .syncAllColumns {
                    for column in removed {
                        try await db.execute(SQL(unsafeRaw: "alter table \(target.quoted) drop column \(SQL.quoteIdentifier(column.name))"))
                    }
                }
                targetColumns = try await db.columns(of: target)
            }
        }
        let shared = targetColumns.map(\.name).filter { stagedNames.contains($0.lowercased()) }
        var rows = 0
        let statements = sql.incrementalApply(strategy: strategy, target: target, staging: staging, columns: shared, keys: keys,
                                              targetColumns: targetColumns.map(\.name))
        for statement in statements { rows = try await run.run(statement) }
        // A rewrite's last statement is a rename: the rows it brought are the staged ones.
        if (!sql.dialect.supportsDelete && strategy != .append && !keys.isEmpty) || strategy == .insertOverwrite {
            rows = Int(try await db.query("select count(*) from \(staging)").scalar?.int64 ?? 0)
        }
        try await db.execute(SQL(unsafeRaw: sql.drop(staging, kind: .table)))
        return rows
    }

    private func buildSnapshot(_ node: Node, _ compiledNode: CompiledNode, into result: inout NodeResult) async throws {
        let compiled = compiledNode.sql
        let target = try relation(of: node)
        let config = node.config
        guard let keys = config.uniqueKey, !keys.isEmpty else {
            throw TransformError(file: node.originalFilePath, "snapshot \(node.name) needs a unique_key in its config")
        }
        let strategy: SnapshotSQL.Strategy
        switch config.strategy ?? "" {
        case "timestamp":
            guard let updatedAt = config.updatedAt else {
                throw TransformError(file: node.originalFilePath, "snapshot \(node.name) uses the timestamp strategy and needs updated_at")
            }
            strategy = .timestamp(updatedAt: updatedAt)
        case "check":
            let columns = config.checkCols
            strategy = .check(columns: columns?.stringValue == "all" ? nil : columns?.asList.compactMap(\.stringValue))
        default:
            throw TransformError(file: node.originalFilePath, "snapshot \(node.name) has strategy '\(node.config["strategy"]?.stringValue ?? "none")'; set strategy='timestamp' (with updated_at) or strategy='check' (with check_cols) in its config")
        }
        let invalidate = config.invalidateHardDeletes || config["hard_deletes"]?.stringValue == "invalidate"
        let snapshot = SnapshotSQL(target: target, sourceSQL: compiled, uniqueKey: keys, strategy: strategy,
                                   invalidateHardDeletes: invalidate, dialect: warehouse.dialect)
        let rows: Int? = try await warehouse.session { db in
            for hook in compiledNode.preHooks { try await db.executeScript(hook) }
            if try await db.relationKind(target) == nil {
                try await db.transactionWhereSupported { for statement in snapshot.create() { try await db.execute(SQL(unsafeRaw: statement)) } }
            } else {
                let probe = try await db.query(SQL(unsafeRaw: "select * from (\n\(compiled)\n) as source limit 0"))
                let sourceColumns = probe.columns.map(\.name)
                let existing = Set(try await db.columns(of: target).map { $0.name.lowercased() })
                try await db.transactionWhereSupported {
                    for column in probe.columns where !existing.contains(column.name.lowercased()) {
                        try await db.execute(SQL(unsafeRaw: "alter table \(target.quoted) add column \(SQL.quoteIdentifier(column.name)) \(column.type)"))
                    }
                    for statement in snapshot.update(sourceColumns: sourceColumns) { try await db.execute(SQL(unsafeRaw: statement)) }
                }
            }
            for hook in compiledNode.postHooks { try await db.executeScript(hook) }
            return try await db.query("select count(*) from \(target)").scalar?.int64.map(Int.init)
        }
        host.markExists(node.relation)
        if Compiler.rendersAtRun(node.config.postHooks) { try await runHooks(of: node, post: true) }
        result.rowsAffected = rows
        result.message = "snapshot"
    }

    // MARK: artifacts

    private func writeArtifacts(_ summary: RunSummary) throws {
        let targetDir = (manifest.projectRoot as NSString).appendingPathComponent(manifest.targetPath)
        try FileManager.default.createDirectory(atPath: targetDir, withIntermediateDirectories: true)
        let compiled = summary.results.compactMap { result -> CompiledNode? in
            guard let sql = result.compiledSQL, let path = result.compiledPath else { return nil }
            return CompiledNode(uniqueId: result.uniqueId, sql: sql, renderedSQL: sql, injectedCTEs: [], compiledPath: path)
        }
        try compiledFiles.finish(writing: compiled)
        try ManifestWriter.write(manifest, compiled: compiled, to: (targetDir as NSString).appendingPathComponent("manifest.json"),
                                 cache: project.manifestBytes)
        let data = try RunResultsWriter.json(summary, command: options)
        try data.write(to: URL(fileURLWithPath: (targetDir as NSString).appendingPathComponent("run_results.json")), options: .atomic)
        if options.profile, let profiles = ProfileArtifact.json(summary.results, warehouse: warehouse.dialect.name) {
            try profiles.write(to: URL(fileURLWithPath: ProfileArtifact.path(targetDirectory: targetDir)), options: .atomic)
        }
    }
}

/// Runs a build's statements on one connection, through the engine's profiler when profiling,
/// keeping each statement's profile.
actor StatementRunner {
    let db: any WarehouseConnection
    let profiling: Bool
    private(set) var profiles: [QueryProfile] = []

    init(db: any WarehouseConnection, profiling: Bool) {
        self.db = db
        self.profiling = profiling
    }

    @discardableResult
    func run(_ statement: String) async throws -> Int {
        guard profiling else { return try await db.execute(SQL(unsafeRaw: statement)) }
        let (rows, profile) = try await db.executeProfiled(SQL(unsafeRaw: statement))
        if let profile { profiles.append(profile) }
        return rows
    }
}
