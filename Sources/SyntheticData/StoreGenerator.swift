import Foundation
import WarehouseKit

/// Generates a TheLook-compatible store (seven tables), business overlays and planted truths.
///
/// Deterministic: the same seed and as-of date give the same rows whatever the worker count or
/// chunk size, because every user's rows come from streams keyed by the user's id, and chunks
/// are emitted in id order with ids assigned as they are emitted.
///
/// ```swift
/// let generator = StoreGenerator(options: try GeneratorOptions(seed: 1, asOf: date, scale: 0.1))
/// let report = try await generator.generate(into: warehouse)      // raw.users, raw.orders, …
/// let more = try await generator.append(days: 7, into: warehouse) // a week more activity
/// ```
public struct StoreGenerator: Sendable {
    public var options: GeneratorOptions

    public init(options: GeneratorOptions) { self.options = options }

    /// Receives each batch in deterministic order. Batches of one table arrive in id order.
    public typealias BatchSink = (StoreTable, ColumnBatch) async throws -> Void

    /// Streams a first load: products and distribution centers first, then users in chunks.
    public func generate(to sink: BatchSink) async throws -> GenerationReport {
        try options.validate()
        let plan = RunPlan.initial(options: options)
        return try await run(plan: plan, previous: [], sink: sink)
    }

    /// Streams `days` more days of activity after the runs in `state`: new users, new orders and
    /// events of existing and new users, overlays. Ids continue after the previous run's.
    public func append(days: Int, after state: GeneratorState, to sink: BatchSink) async throws -> GenerationReport {
        try options.validate()
        let plan = try RunPlan.append(days: days, after: state)
        return try await run(plan: plan, previous: state.runs, sink: sink)
    }

    /// The products and distribution centers of a seed (fixed across runs).
    public static func staticTables(seed: UInt64) -> [(StoreTable, ColumnBatch)] {
        let catalog = ProductCatalog(seed: seed)
        return [(.products, productBatch(catalog)), (.distribution_centers, distributionCenterBatch())]
    }

    private func run(plan: RunPlan, previous: [GeneratorRun], sink: BatchSink) async throws -> GenerationReport {
        let clock = ContinuousClock.now
        let catalog = ProductCatalog(seed: plan.seed)
        let tables = ChunkGenerator.LookupTables()
        let chunkSize = Int64(options.usersPerChunk)
        let total = plan.totalUsers
        let chunkCount = Int((total + chunkSize - 1) / chunkSize)
        @Sendable func users(ofChunk index: Int) -> ClosedRange<Int64> {
            let first = Int64(index) * chunkSize + 1
            return first...min(total, first + chunkSize - 1)
        }

        var plan = plan
        if plan.profile == .growing, plan.experimentsReachWindow {
            // A first pass over every user's order times (no rows) finds how much organic demand
            // the experiment conversions take the place of, day by day.
            let counting = ChunkGenerator(plan: plan, catalog: catalog, tables: tables)
            var tally = DemandTally(days: plan.windowDays)
            try await ParallelChunks.run(count: chunkCount, workers: options.workers) { index in
                counting.tallyDemand(users: users(ofChunk: index))
            } consume: { _, part in
                tally.add(part)
            }
            plan.organicKeep = tally.organicKeep
        }
        let generator = ChunkGenerator(plan: plan, catalog: catalog, tables: tables)
        var counts: [StoreTable: Int] = [:]
        if plan.runNumber == 1 {
            try await sink(.products, StoreGenerator.productBatch(catalog))
            try await sink(.distribution_centers, StoreGenerator.distributionCenterBatch())
            counts[.products] = catalog.products.count
            counts[.distribution_centers] = Vocabulary.distributionCenters.count
        }

        let last = previous.last
        var nextOrder = last?.nextOrderId ?? 1
        var nextItem = last?.nextOrderItemId ?? 1
        var nextInventory = last?.nextInventoryItemId ?? 1
        var nextEvent = last?.nextEventId ?? 1
        var nextTicket = last?.nextTicketId ?? 1

        try await ParallelChunks.run(count: chunkCount, workers: options.workers) { index in
            generator.generate(users: users(ofChunk: index))
        } consume: { _, chunk in
            var chunk = chunk
            // Chunk-local ids start at 0, so the next free global id is the offset.
            chunk.shiftIds(order: nextOrder, orderItem: nextItem, inventoryItem: nextInventory,
                           event: nextEvent, ticket: nextTicket)
            nextOrder += Int64(chunk.orders.orderId.count)
            nextItem += Int64(chunk.orderItems.id.count)
            nextInventory += Int64(chunk.inventory.id.count)
            nextEvent += Int64(chunk.events.id.count)
            nextTicket += Int64(chunk.tickets.ticketId.count)
            for (table, batch) in chunk.batches {
                counts[table, default: 0] += batch.count
                try await sink(table, batch)
            }
        }

        let window = plan.creationWindows[plan.creationWindows.count - 1]
        let run = GeneratorRun(
            runNumber: plan.runNumber, seed: plan.seed, asOf: plan.asOf, windowStart: plan.windowStart,
            windowEnd: plan.windowEnd, firstUserId: window.firstUserId, lastUserId: window.lastUserId,
            nextOrderId: nextOrder, nextOrderItemId: nextItem, nextInventoryItemId: nextInventory,
            nextEventId: nextEvent, nextTicketId: nextTicket, profile: plan.profile, growthPerYear: plan.growthPerYear)
        for table in StoreTable.allCases where counts[table] == nil { counts[table] = 0 }
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return GenerationReport(rowCounts: counts, seconds: seconds, state: GeneratorState(runs: previous + [run]))
    }

    static func productBatch(_ catalog: ProductCatalog) -> ColumnBatch {
        let products = catalog.products
        var name = TextBuilder(capacity: products.count), brand = TextBuilder(capacity: products.count)
        for product in products {
            name.append(product.name, placeholder: "")
            brand.append(product.brand, placeholder: "")
        }
        return ColumnBatch(columns: [
            BatchColumn(.int64(products.map(\.id))),
            BatchColumn(.double(products.map(\.cost))),
            BatchColumn(.text(products.map(\.category))),
            name.column,
            brand.column,
            BatchColumn(.double(products.map(\.retailPrice))),
            BatchColumn(.text(products.map(\.department))),
            BatchColumn(.text(products.map(\.sku))),
            BatchColumn(.int64(products.map(\.distributionCenterId))),
        ])
    }

    static func distributionCenterBatch() -> ColumnBatch {
        let centers = Vocabulary.distributionCenters
        return ColumnBatch(columns: [
            BatchColumn(.int64(centers.map(\.id))),
            BatchColumn(.text(centers.map(\.name))),
            BatchColumn(.double(centers.map(\.latitude))),
            BatchColumn(.double(centers.map(\.longitude))),
        ])
    }
}

/// Runs chunk jobs on up to `workers` tasks and hands results to `consume` strictly in index
/// order, so the output order never depends on scheduling.
enum ParallelChunks {
    static func run<Chunk: Sendable>(
        count: Int, workers: Int,
        make: @escaping @Sendable (Int) -> Chunk,
        consume: (Int, Chunk) async throws -> Void
    ) async throws {
        guard count > 0 else { return }
        try await withThrowingTaskGroup(of: (Int, Chunk).self) { group in
            var launched = 0
            for _ in 0..<min(max(1, workers), count) {
                let index = launched
                group.addTask { (index, make(index)) }
                launched += 1
            }
            var waiting: [Int: Chunk] = [:]
            var expected = 0
            while let (index, chunk) = try await group.next() {
                waiting[index] = chunk
                if launched < count {
                    let next = launched
                    group.addTask { (next, make(next)) }
                    launched += 1
                }
                while let ready = waiting.removeValue(forKey: expected) {
                    try await consume(expected, ready)
                    expected += 1
                }
            }
        }
    }
}
