import Foundation
import WarehouseKit

/// What REES46-format clickstream to generate: seed, size and the days it covers.
///
/// The REES46 "eCommerce behavior data from multi category store" files (Kaggle) hold one row per
/// view, cart, remove_from_cart or purchase event of an electronics-heavy marketplace. This
/// generator writes the same columns, formats and quirks (see datasets.md §3).
public struct ClickstreamOptions: Sendable, Hashable {
    /// Rows at scale 1.0 (the real October 2019 file has 42 million; one million keeps a
    /// default run quick).
    public static let rowsAtScaleOne = 1_000_000

    public var seed: UInt64
    /// Rows in all, duplicates included.
    public var rows: Int
    /// The last day covered (inclusive).
    public var asOf: CivilDate
    /// Days covered, ending with `asOf`.
    public var days: Int
    /// Chunks generated at once; the output does not depend on it.
    public var workers: Int

    public init(seed: UInt64 = 42, rows: Int, asOf: CivilDate, days: Int = 30,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws
    {
        self.seed = seed
        self.rows = rows
        self.asOf = asOf
        self.days = days
        self.workers = workers
        try validate()
    }

    /// The row count of a scale (1.0 = 1,000,000 rows), at least 1.
    public static func rows(scale: Double) -> Int {
        max(1, Int((Double(rowsAtScaleOne) * scale).rounded()))
    }

    public func validate() throws {
        if rows < 1 { throw SyntheticDataError.invalidClickstreamRows(rows) }
        if days < 1 { throw SyntheticDataError.invalidClickstreamDays(days) }
        if workers < 1 { throw SyntheticDataError.invalidWorkers(workers) }
        if asOf < GeneratorOptions.dataStart { throw SyntheticDataError.asOfBeforeDataStart(asOf) }
    }
}

/// REES46 event kinds, in the spelling of the files.
public enum ClickstreamEventType: UInt8, Sendable, CaseIterable {
    case view, cart, removeFromCart, purchase

    public var name: String {
        switch self {
        case .view: return "view"
        case .cart: return "cart"
        case .removeFromCart: return "remove_from_cart"
        case .purchase: return "purchase"
        }
    }
}

/// Generates a REES46-format clickstream in fixed chunks of rows, streamed in time order.
///
/// Each chunk covers its own slice of the time range and draws from a stream keyed by (seed,
/// chunk index), so the rows do not depend on the worker count and memory stays at a few chunks
/// whatever the size.
///
/// ```swift
/// let clicks = ClickstreamGenerator(options: try ClickstreamOptions(seed: 1, rows: 100_000, asOf: date))
/// let rows = try await clicks.writeCSV(to: URL(fileURLWithPath: "landing/clickstream.csv"))
/// ```
public struct ClickstreamGenerator: Sendable {
    /// Rows per chunk: part of the output's definition (changing it changes the data).
    public static let rowsPerChunk = 65_536
    /// The CSV header, as in the REES46 files.
    public static let header = ["event_time", "event_type", "product_id", "category_id", "category_code", "brand",
                                "price", "user_id", "user_session"]

    public var options: ClickstreamOptions
    let catalog: ClickstreamCatalog

    public init(options: ClickstreamOptions) {
        self.options = options
        catalog = ClickstreamCatalog(seed: options.seed)
    }

    var chunkCount: Int { (options.rows + Self.rowsPerChunk - 1) / Self.rowsPerChunk }

    /// Streams the rows as column batches (one per chunk), in time order. Returns the row count.
    @discardableResult
    public func generate(to sink: (ColumnBatch) async throws -> Void) async throws -> Int {
        try options.validate()
        let generator = self
        var total = 0
        try await ParallelChunks.run(count: chunkCount, workers: options.workers) { index in
            generator.chunk(index)
        } consume: { _, chunk in
            total += chunk.count
            try await sink(chunk.batch(catalog: generator.catalog))
        }
        return total
    }

    /// Writes the rows as a REES46 CSV file (header first). Returns the row count.
    @discardableResult
    public func writeCSV(to file: URL) async throws -> Int {
        try options.validate()
        let path = file.path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw SyntheticDataError.fileWrite(path: path, message: "the file cannot be created") }
        defer { try? handle.close() }
        func write(_ bytes: [UInt8]) throws {
            do { try handle.write(contentsOf: bytes) } catch {
                throw SyntheticDataError.fileWrite(path: path, message: "\(error)")
            }
        }
        try write(Array((Self.header.joined(separator: ",") + "\n").utf8))
        let generator = self
        var total = 0
        // Rendering happens on the workers too, so the writer only copies bytes.
        try await ParallelChunks.run(count: chunkCount, workers: options.workers) { index in
            generator.chunk(index).csv(catalog: generator.catalog)
        } consume: { _, rendered in
            total += rendered.rows
            try write(rendered.bytes)
        }
        return total
    }

    /// Replaces `<schema>.clickstream_events` in a warehouse with the rows, in one transaction.
    @discardableResult
    public func generate(into warehouse: any Warehouse, schema: String = "raw") async throws -> Int {
        try options.validate()
        let generator = self
        return try await warehouse.write { connection in
            try await connection.transaction {
                let relation = RelationName(schema: schema, name: ClickstreamGenerator.tableName)
                try await connection.execute(SQL(unsafeRaw: "CREATE SCHEMA IF NOT EXISTS \(SQL.quoteIdentifier(schema))"))
                try await connection.execute(SQL(unsafeRaw: "DROP TABLE IF EXISTS \(relation.quoted)"))
                try await connection.execute(connection.dialect.createTable(relation, columns: TableSchemas.clickstream))
                let appender = try await connection.appender(into: relation)
                let rows = try await generator.generate { try await appender.append($0) }
                try await appender.finish()
                return rows
            }
        }
    }

    /// The warehouse table the clickstream goes into.
    public static let tableName = "clickstream_events"

    // MARK: - One chunk

    func chunk(_ index: Int) -> ClickstreamChunk {
        let perChunk = Self.rowsPerChunk
        let first = index * perChunk
        let rows = min(perChunk, options.rows - first)
        let start = Micros.startOf(options.asOf.adding(days: 1 - options.days))
        let span = Int64(options.days) * Micros.day
        // Chunk i covers its share of the range, so chunks concatenate in time order.
        let low = start + Int64(Double(span) * Double(first) / Double(options.rows))
        let high = start + Int64(Double(span) * Double(first + rows) / Double(options.rows))
        let lastSecond = max(low, high - Micros.second) / Micros.second * Micros.second
        // Users come back across the range: a population about 1/15 of the rows.
        let population = Int64(max(1, options.rows / 15))

        var rng = SeededRandom(seed: options.seed, stream: .clickstream, UInt64(index))
        var draft = ClickstreamChunk(capacity: rows + 80)
        while draft.count < rows {
            let userId = ClickstreamCatalog.firstUserId + rng.int64(below: population) * 7 + 3
            var sessionHigh = rng.next(), sessionLow = rng.next()
            if rng.chance(0.000_02) {
                sessionHigh = 0
                sessionLow = 0
            } else {
                sessionHigh = (sessionHigh & ~0xF000) | 0x4000
                sessionLow = (sessionLow & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
            }
            var time = (low + rng.int64(below: max(1, high - low))) / Micros.second * Micros.second
            var product = catalog.popularProduct(&rng)
            let views = 1 + Int(-_log(max(rng.unit(), 1e-12)) * 5.5)
            func add(_ type: ClickstreamEventType) {
                draft.append(time: min(time, lastSecond), type: type, product: product, userId: userId,
                             session: (sessionHigh, sessionLow))
            }
            for view in 0..<views {
                if view > 0 {
                    time += Micros.second * Int64(2 + rng.int(below: 120))
                    product = rng.chance(0.6) ? catalog.sameCategoryProduct(as: product, &rng) : catalog.popularProduct(&rng)
                }
                add(.view)
                guard rng.chance(0.0375) else { continue }
                time += Micros.second * Int64(1 + rng.int(below: 60))
                // A REES46 quirk: a cart event recorded many times over with the same timestamp.
                let copies = rng.chance(0.012) ? 2 + Int(77 * rng.unit() * rng.unit() * rng.unit()) : 1
                for _ in 0..<copies { add(.cart) }
                if rng.chance(0.09) {
                    time += Micros.second * Int64(1 + rng.int(below: 300))
                    add(.removeFromCart)
                } else if rng.chance(0.48) {
                    time += Micros.second * Int64(10 + rng.int(below: 600))
                    add(.purchase)
                }
            }
        }
        draft.truncate(to: rows)
        draft.sortByTime()
        return draft
    }
}

/// Rows of one chunk, column by column (products by catalog index, sessions as two words).
struct ClickstreamChunk: Sendable {
    var times: [Int64] = []
    var types: [UInt8] = []
    var products: [Int32] = []
    var userIds: [Int64] = []
    var sessionHigh: [UInt64] = []
    var sessionLow: [UInt64] = []

    init(capacity: Int) {
        times.reserveCapacity(capacity); types.reserveCapacity(capacity); products.reserveCapacity(capacity)
        userIds.reserveCapacity(capacity); sessionHigh.reserveCapacity(capacity); sessionLow.reserveCapacity(capacity)
    }

    var count: Int { times.count }

    @inline(__always)
    mutating func append(time: Int64, type: ClickstreamEventType, product: Int32, userId: Int64, session: (UInt64, UInt64)) {
        times.append(time)
        types.append(type.rawValue)
        products.append(product)
        userIds.append(userId)
        sessionHigh.append(session.0)
        sessionLow.append(session.1)
    }

    mutating func truncate(to rows: Int) {
        guard count > rows else { return }
        times.removeLast(count - rows); types.removeLast(count - rows); products.removeLast(count - rows)
        userIds.removeLast(count - rows); sessionHigh.removeLast(count - rows); sessionLow.removeLast(count - rows)
    }

    /// Orders rows by time, keeping generation order among equal times (a session's events and
    /// duplicate copies stay together).
    mutating func sortByTime() {
        let order = times.indices.sorted { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
        func permute<T>(_ values: [T]) -> [T] { order.map { values[$0] } }
        times = permute(times); types = permute(types); products = permute(products)
        userIds = permute(userIds); sessionHigh = permute(sessionHigh); sessionLow = permute(sessionLow)
    }

    func sessionText(_ row: Int) -> String? {
        let high = sessionHigh[row], low = sessionLow[row]
        if high == 0, low == 0 { return nil }
        return TextFormatting.uuid(high: high, low: low)
    }

    func batch(catalog: ClickstreamCatalog) -> ColumnBatch {
        var code = TextBuilder(capacity: count), brand = TextBuilder(capacity: count)
        var session = TextBuilder(capacity: count)
        var productIds: [Int64] = [], categoryIds: [Int64] = [], prices: [Double] = [], typeNames: [String] = []
        productIds.reserveCapacity(count); categoryIds.reserveCapacity(count); prices.reserveCapacity(count)
        typeNames.reserveCapacity(count)
        let names = ClickstreamEventType.allCases.map(\.name)
        for row in 0..<count {
            let product = catalog.products[Int(products[row])]
            let category = catalog.categories[Int(product.category)]
            typeNames.append(names[Int(types[row])])
            productIds.append(product.id)
            categoryIds.append(category.id)
            code.append(category.code, placeholder: "")
            brand.append(product.brand, placeholder: "")
            prices.append(Double(product.priceCents) / 100)
            session.append(sessionText(row), placeholder: "")
        }
        return ColumnBatch(columns: [
            BatchColumn(.timestamp(times)), BatchColumn(.text(typeNames)), BatchColumn(.int64(productIds)),
            BatchColumn(.int64(categoryIds)), code.column, brand.column, BatchColumn(.double(prices)),
            BatchColumn(.int64(userIds)), session.column,
        ])
    }

    /// The chunk as CSV bytes in REES46's formats (`2019-11-01 00:00:00 UTC`, prices with two
    /// decimals, empty fields for missing values).
    func csv(catalog: ClickstreamCatalog) -> (bytes: [UInt8], rows: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(count * 140)
        let names = ClickstreamEventType.allCases.map { Array($0.name.utf8) }
        var lastDay = Int64.min, dayText: [UInt8] = []
        for row in 0..<count {
            let time = times[row]
            let day = time / Micros.day
            if day != lastDay {
                let date = CivilDate(daysSinceEpoch: Int(day))
                dayText = Array(date.description.utf8)
                lastDay = day
            }
            out.append(contentsOf: dayText)
            out.append(UInt8(ascii: " "))
            let seconds = Int((time - day * Micros.day) / Micros.second)
            CSVBytes.appendPadded(seconds / 3600, width: 2, &out)
            out.append(UInt8(ascii: ":"))
            CSVBytes.appendPadded(seconds / 60 % 60, width: 2, &out)
            out.append(UInt8(ascii: ":"))
            CSVBytes.appendPadded(seconds % 60, width: 2, &out)
            out.append(contentsOf: " UTC,".utf8)
            out.append(contentsOf: names[Int(types[row])])
            out.append(UInt8(ascii: ","))
            let product = catalog.products[Int(products[row])]
            let category = catalog.categories[Int(product.category)]
            CSVBytes.appendInteger(product.id, &out)
            out.append(UInt8(ascii: ","))
            CSVBytes.appendInteger(category.id, &out)
            out.append(UInt8(ascii: ","))
            if let code = category.code { out.append(contentsOf: code.utf8) }
            out.append(UInt8(ascii: ","))
            if let brand = product.brand { out.append(contentsOf: brand.utf8) }
            out.append(UInt8(ascii: ","))
            CSVBytes.appendCents(product.priceCents, &out)
            out.append(UInt8(ascii: ","))
            CSVBytes.appendInteger(userIds[row], &out)
            out.append(UInt8(ascii: ","))
            if let session = sessionText(row) { out.append(contentsOf: session.utf8) }
            out.append(UInt8(ascii: "\n"))
        }
        return (out, count)
    }
}

/// Byte-level number formatting for CSV output.
enum CSVBytes {
    @inline(__always)
    static func appendPadded(_ value: Int, width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
            v %= divisor
            divisor /= 10
        }
    }

    static func appendInteger(_ value: Int64, _ out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out.append(contentsOf: digits.reversed())
    }

    /// `1234` → `12.34`, `-5` → `-0.05`.
    static func appendCents(_ cents: Int64, _ out: inout [UInt8]) {
        if cents < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = Int64(cents.magnitude)
        appendInteger(magnitude / 100, &out)
        out.append(UInt8(ascii: "."))
        appendPadded(Int(magnitude % 100), width: 2, &out)
    }
}

/// The marketplace behind the clickstream: categories with REES46-style ids and dotted codes,
/// brands and products, fixed by the seed.
struct ClickstreamCatalog: Sendable {
    struct Category: Sendable {
        let id: Int64
        /// Nil for the categories REES46 leaves without a code.
        let code: String?
        var productIndexes: [Int32] = []
    }

    struct Product: Sendable {
        let id: Int64
        let category: Int32
        let brand: String?
        /// Zero for a few products: REES46 has prices of 0.
        let priceCents: Int64
    }

    static let productCount = 40_000
    static let firstUserId: Int64 = 500_000_000

    /// Dotted codes with a typical price in dollars and a relative weight.
    static let codes: [(code: String, price: Double, weight: Double)] = [
        ("electronics.smartphone", 300, 26), ("electronics.audio.headphone", 60, 4), ("electronics.video.tv", 420, 3),
        ("electronics.clocks", 180, 2), ("electronics.tablet", 250, 1.2), ("electronics.audio.subwoofer", 120, 0.5),
        ("electronics.camera.photo", 400, 0.5), ("computers.notebook", 700, 3.5), ("computers.desktop", 600, 0.8),
        ("computers.components.videocards", 350, 0.7), ("computers.peripherals.printer", 180, 0.6),
        ("computers.peripherals.mouse", 20, 0.5), ("appliances.kitchen.washer", 330, 2.2),
        ("appliances.kitchen.refrigerators", 520, 2), ("appliances.environment.vacuum", 150, 2.2),
        ("appliances.kitchen.microwave", 110, 0.8), ("appliances.environment.air_conditioner", 380, 0.7),
        ("appliances.environment.water_heater", 140, 0.5), ("appliances.iron", 40, 0.6),
        ("appliances.personal.hair_cutter", 35, 0.4), ("apparel.shoes", 70, 1.5), ("apparel.shoes.keds", 55, 0.6),
        ("apparel.trousers", 45, 0.4), ("furniture.living_room.sofa", 450, 0.8), ("furniture.bedroom.bed", 380, 0.5),
        ("furniture.kitchen.table", 160, 0.4), ("auto.accessories.player", 90, 0.7),
        ("auto.accessories.videoregister", 75, 0.5), ("kids.toys", 30, 0.6), ("kids.carriage", 260, 0.4),
        ("sport.bicycle", 310, 0.5), ("construction.tools.drill", 95, 0.6), ("country_yard.cultivator", 240, 0.2),
        ("accessories.bag", 50, 0.4), ("medicine.tools.tonometer", 45, 0.2),
    ]
    /// Categories REES46 leaves without a code carry about a third of the rows.
    static let uncodedCategories = 60
    static let uncodedWeight = 0.32

    static let brands = [
        "samsung", "apple", "xiaomi", "huawei", "lucente", "lg", "bosch", "sony", "oppo", "acer", "lenovo", "hp",
        "asus", "artel", "indesit", "respect", "cordiant", "elenberg", "philips", "redmond", "vitek", "polaris",
        "midea", "haier", "beko", "tefal", "jbl", "canon", "nikon", "garmin", "casio", "adidas", "nike", "puma",
        "rieker", "tiger", "karcher", "makita", "dewalt", "pioneer", "kenwood", "panasonic", "gorenje", "electrolux",
        "vivo", "meizu", "honor", "realme", "dell", "msi",
    ]

    let categories: [Category]
    let products: [Product]
    /// Product indexes in popularity order (most viewed first).
    private let productOrder: [Int32]

    init(seed: UInt64) {
        var rng = SeededRandom(seed: seed, stream: .clickstream, 0xCA7A_1096)
        var categories: [Category] = []
        var prices: [Double] = []
        var weights: [Double] = []
        var usedIds = Set<Int64>()
        func freshId() -> Int64 {
            while true {
                // REES46 category ids are 19-digit numbers around 2.05e18–2.24e18.
                let id = 2_053_013_552_000_000_000 + rng.int64(below: 190_000_000_000_000_000)
                if usedIds.insert(id).inserted { return id }
            }
        }
        let codedTotal = Self.codes.reduce(0) { $0 + $1.weight }
        for entry in Self.codes {
            categories.append(Category(id: freshId(), code: entry.code))
            prices.append(entry.price)
            weights.append(entry.weight / codedTotal * (1 - Self.uncodedWeight))
        }
        for _ in 0..<Self.uncodedCategories {
            categories.append(Category(id: freshId(), code: nil))
            prices.append(rng.double(in: 5, 250))
            weights.append(Self.uncodedWeight / Double(Self.uncodedCategories))
        }
        let categoryChoice = WeightedChoice(weights.enumerated().map { ($0.offset, $0.element) })
        var products: [Product] = []
        products.reserveCapacity(Self.productCount)
        for index in 0..<Self.productCount {
            let category = categoryChoice.pickIndex(&rng)
            let brand: String? = rng.chance(0.14) ? nil : Self.brands[Int(Double(Self.brands.count) * rng.unit() * rng.unit())]
            var cents = Int64((prices[category] * _exp(rng.normal() * 0.6) * 100).rounded())
            if rng.chance(0.002) { cents = 0 }
            products.append(Product(id: 1_000_000 + Int64(index) * 2_500 + rng.int64(below: 2_500),
                                    category: Int32(category), brand: brand, priceCents: max(0, cents)))
            categories[category].productIndexes.append(Int32(index))
        }
        // Popularity order: a shuffled list, so popular products spread over categories.
        var order = (0..<Int32(Self.productCount)).map { $0 }
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(below: i + 1)) }
        self.categories = categories
        self.products = products
        productOrder = order
    }

    /// A product drawn with a long tail: a few products take most views.
    @inline(__always)
    func popularProduct(_ rng: inout SeededRandom) -> Int32 {
        let u = rng.unit()
        return productOrder[Int(u * u * Double(productOrder.count))]
    }

    /// Another product of the same category (browsing), by the same long tail.
    @inline(__always)
    func sameCategoryProduct(as product: Int32, _ rng: inout SeededRandom) -> Int32 {
        let pool = categories[Int(products[Int(product)].category)].productIndexes
        let u = rng.unit()
        return pool[Int(u * u * Double(pool.count))]
    }
}
