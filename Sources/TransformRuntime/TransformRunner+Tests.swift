import Foundation
import TransformProject
import WarehouseKit

/// Data tests: one query per test (or one per model where the warehouse prefers, below), each
/// judged as dbt judges it.
extension TransformRunner {
    func runTest(_ node: Node, _ compiled: String, into result: inout NodeResult) async throws {
        let config = node.config
        let query = sql.testQuery(compiled, failCalc: config.failCalc, warnIf: config.warnIf, errorIf: config.errorIf, limit: config.limit)
        let storeIn = config.storeFailures == true
            ? RelationName(schema: auditSchema, name: node.relation?.identifier ?? node.name) : nil
        let (row, sample) = try await warehouse.session { [sql] db -> ([WarehouseValue], FailingRowsSample?) in
            if let storeIn {
                try await db.transactionWhereSupported {
                    for statement in sql.table(storeIn, sql: compiled, existing: try await db.relationKind(storeIn)) {
                        try await db.execute(SQL(unsafeRaw: statement))
                    }
                }
            }
            let row = try await db.query(SQL(unsafeRaw: query)).rows.first ?? []
            guard (row.first?.int64 ?? 0) > 0 else { return (row, nil) }
            return (row, try await Self.failingRows(of: compiled, on: db))
        }
        judgeTest(node, row: row, sample: sample, storedIn: storeIn, into: &result)
    }

    /// The first rows a failing test returns, for the reader: only a failing test pays for this
    /// second query.
    static func failingRows(of compiledTest: String, on db: any WarehouseConnection) async throws -> FailingRowsSample {
        let failing = try await db.query(SQL(unsafeRaw: "select * from (\n\(compiledTest)\n) as failing_rows limit \(FailingRowsSample.limit)"))
        return FailingRowsSample(columns: failing.columns.map(\.name), rows: failing.rows.map { $0.map { $0.isNull ? nil : $0.description } })
    }

    /// A test's status and message from its row (failures, should_warn, should_error), as dbt judges.
    func judgeTest(_ node: Node, row: [WarehouseValue], sample: FailingRowsSample?, storedIn storeIn: RelationName?, into result: inout NodeResult) {
        let config = node.config
        result.failingRows = sample
        let failures = row.first?.int64.map(Int.init) ?? 0
        let shouldWarn = row.count > 1 && row[1].int64 == 1
        let shouldError = row.count > 2 && row[2].int64 == 1
        result.failures = failures
        if config.severity == "error" && shouldError {
            result.status = .fail
        } else if shouldWarn {
            result.status = .warn
        } else {
            result.status = .pass
        }
        let plural = failures == 1 ? "" : "s"
        result.message = result.status == .pass ? "pass" : "got \(failures) result\(plural), configured to \(result.status == .fail ? "fail" : "warn") if \(result.status == .fail ? config.errorIf : config.warnIf)"
        if let storeIn, failures > 0 { result.message += "; failing rows in \(storeIn)" }
    }
}

/// Tests of one model checked in one query, where the warehouse pays a fixed cost per statement
/// (`SQLDialect.checksTestsInOneQuery`: Spark runs a job per statement). Each test keeps its own
/// status, message, failure count and failing rows; only the counting is shared.
extension TransformRunner {
    /// Whether this run batches tests: the run's option, else the dialect's preference.
    var checksTestsInOneQuery: Bool {
        options.testsInOneQuery ?? warehouse.dialect.checksTestsInOneQuery
    }

    /// The scheduler's batch key: tests with the same parents (the tests of one model, or the
    /// relationship tests between two) share a key, and become ready together. Tests that
    /// do more than count (stored failures, distribution profiles) run alone.
    func testBatchKey(edges: [String: Set<String>]) -> @Sendable (String) -> String? {
        guard checksTestsInOneQuery else { return { _ in nil } }
        let keys: [String: String] = Dictionary(uniqueKeysWithValues: edges.compactMap { id, parents in
            guard let node = manifest.nodes[id], node.resourceType == .test, node.config.storeFailures != true,
                  !Compiler.keepsColumnProfile(node) else { return nil }
            // The run's parents make the batch ready at once; the manifest's keep `storehouse test`
            // (where no parent is in the run) to a batch per model.
            return (id, (parents.sorted() + ["|"] + node.dependsOnNodes.sorted()).joined(separator: "\n"))
        })
        return { keys[$0] }
    }

    /// Runs `ids` (tests sharing a batch key) as one query and judges each from its row. A test
    /// that fails fetches its failing rows on its own. If the shared query fails (one test does not
    /// compile or bind), each test runs on its own so the error lands on the test that has it.
    func executeTestsInOneQuery(_ ids: [String]) async -> [NodeResult] {
        let outcome: [NodeResult]? = await withWorkerSlot { slot in
            let started = Date()
            let nodes = ids.map { manifest.nodes[$0]! }
            guard let compiled = try? await nodes.asyncMap({ try await compile($0.uniqueId) }) else { return nil }
            let queries = zip(nodes, compiled).map { node, compiled in
                sql.testQuery(compiled.sql, failCalc: node.config.failCalc, warnIf: node.config.warnIf,
                              errorIf: node.config.errorIf, limit: node.config.limit)
            }
            let batch = sql.testBatchQuery(queries)
            guard let rows = try? await warehouse.session({ db in try await db.query(SQL(unsafeRaw: batch)).rows }) else { return nil }
            var rowOfTest: [Int: [WarehouseValue]] = [:]
            for row in rows { if let index = row.first?.int64 { rowOfTest[Int(index)] = Array(row.dropFirst()) } }
            guard rowOfTest.count == ids.count else { return nil }
            let shared = Date().timeIntervalSince(started) / Double(ids.count)
            var results: [NodeResult] = []
            for (index, (node, compiled)) in zip(nodes, compiled).enumerated() {
                compiledFiles.enqueue(compiled)
                var result = startingResult(node, slot: slot, at: started)
                result.compiledSQL = compiled.sql
                result.compiledPath = compiled.compiledPath
                let sampleStarted = Date()
                let row = rowOfTest[index]!
                do {
                    let sample = (row.first?.int64 ?? 0) > 0
                        ? try await warehouse.session { db in try await Self.failingRows(of: compiled.sql, on: db) } : nil
                    judgeTest(node, row: row, sample: sample, storedIn: nil, into: &result)
                } catch {
                    result.status = .error
                    result.message = NodeErrorContext.message(for: error, node: node, manifest: manifest, exists: host.relationExists)
                }
                result.seconds = shared + Date().timeIntervalSince(sampleStarted)
                results.append(result)
            }
            return results
        }
        if let outcome { return outcome }
        var alone: [NodeResult] = []
        for id in ids { alone.append(await execute(id)) }
        return alone
    }
}

extension Array {
    /// `map` with an async transform, one element after another.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
