import Foundation
import SyntheticData
import WarehouseDuckDB
import WarehouseKit

// Generator benchmark: all tables at `scale` generated and loaded into an in-memory DuckDB,
// the same data written as CSV, and the Python/Faker anchor (bench/generate_faker.py, the way
// the public thelook_ecommerce job generates) on the same kind of work; plus the generator's
// memory at two scales, to show it is bounded by its chunk buffers rather than the data size.

/// Peak and current resident memory of this process in MiB, from /proc/self/status.
private func residentMemory() -> (peak: Double, current: Double) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kib / 1024
    }
    return (field("VmHWM"), field("VmRSS"))
}

/// Resets the peak (VmHWM) to the current resident size, so the next peak belongs to one phase.
private func resetPeakMemory() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

private func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

private func benchOptions(scale: Double) throws -> GeneratorOptions {
    try GeneratorOptions(seed: 42, asOf: CivilDate(year: 2024, month: 6, day: 30), scale: scale)
}

/// Runs the Faker anchor for `users` users; returns its rows and seconds, or nil when no Python
/// with Faker is configured.
private func fakerAnchor(users: Int) throws -> (rows: Int, seconds: Double)? {
    guard let python = ProcessInfo.processInfo.environment["STOREHOUSE_BENCH_PYTHON"], !python.isEmpty else { return nil }
    let candidates = [
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("bench/generate_faker.py"),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("bench/generate_faker.py"),
    ]
    guard let script = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
        throw WarehouseError(.load, "bench/generate_faker.py not found; run the bench from the repository root")
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("faker-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path, "--users", String(users), "--out", folder.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    // "faker: 123456 rows in 12.34 s (10000 rows/s)"
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard process.terminationStatus == 0, let at = words.firstIndex(of: "faker:"), words.count > at + 4,
          let rows = Int(words[at + 1]), let seconds = Double(words[at + 4])
    else { throw WarehouseError(.load, "the Faker anchor failed (exit \(process.terminationStatus)): \(text)") }
    return (rows, seconds)
}

/// Generation benchmark; `scale` 1.0 is TheLook's size (100,000 users, about 3.7 million rows).
func generateBench(scale: Double) async throws {
    report("generate: load average at start", loadAverage())
    report("generate: cores", "\(ProcessInfo.processInfo.activeProcessorCount)")

    // Generator memory alone (batches dropped as they arrive): should not grow with scale.
    for memoryScale in [scale / 4, scale] {
        resetPeakMemory()
        let before = residentMemory().current
        let dropped = try await StoreGenerator(options: benchOptions(scale: memoryScale)).generate { _, _ in }
        report(String(format: "generate: scale %.2f, generation only", memoryScale),
               String(format: "%d rows  %.2f s  %.2f M rows/s  peak RSS %.0f MiB (%.0f MiB before)", dropped.totalRows,
                      dropped.seconds, Double(dropped.totalRows) / dropped.seconds / 1e6, residentMemory().peak, before))
    }

    // Generation + load into an in-memory DuckDB: the figure the 5 s target is about.
    resetPeakMemory()
    // One DuckDB thread: the appender's flushes gain nothing from more, and on a busy 2-core
    // machine idle DuckDB workers spinning for tasks took CPU from the generator (4–9 s → 3.6–4 s).
    let warehouse = try DuckDBWarehouse(path: ":memory:", threads: 1)
    let loaded = try await StoreGenerator(options: benchOptions(scale: scale)).generate(into: warehouse)
    let loadedMemory = residentMemory().peak
    report(String(format: "generate: scale %.2f into DuckDB :memory:", scale),
           String(format: "%d rows  %.2f s  %.2f M rows/s  peak RSS %.0f MiB (includes the database)", loaded.totalRows,
                  loaded.seconds, Double(loaded.totalRows) / loaded.seconds / 1e6, loadedMemory))
    let slowest = loaded.writeSeconds.sorted { $0.value > $1.value }.prefix(3)
        .map { "\($0.key.rawValue) " + String(format: "%.2f s", $0.value) }.joined(separator: ", ")
    report("generate: appender time, largest tables", slowest)
    await warehouse.close()

    // The same data as CSV files, the work the Faker anchor does.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("generate-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let csv = try await StoreGenerator(options: benchOptions(scale: scale)).writeFiles(to: folder, format: .csv)
    let csvRate = Double(csv.totalRows) / csv.seconds
    report(String(format: "generate: scale %.2f as CSV files", scale),
           String(format: "%d rows  %.2f s  %.2f M rows/s", csv.totalRows, csv.seconds, csvRate / 1e6))

    let fakerUsers = 2_000
    if let faker = try fakerAnchor(users: fakerUsers) {
        let fakerRate = Double(faker.rows) / faker.seconds
        report("generate: Faker anchor, \(fakerUsers) users as CSV",
               String(format: "%d rows  %.2f s  %.0f rows/s", faker.rows, faker.seconds, fakerRate))
        report(String(format: "generate: Faker extrapolated, %d rows", csv.totalRows),
               String(format: "%.0f s", Double(csv.totalRows) / fakerRate))
        report("generate: ratio CSV rows/s / Faker rows/s", String(format: "%.0fx", csvRate / fakerRate))
        report("generate: ratio DuckDB rows/s / Faker rows/s",
               String(format: "%.0fx", Double(loaded.totalRows) / loaded.seconds / fakerRate))
    } else {
        report("generate: Faker anchor", "skipped: set STOREHOUSE_BENCH_PYTHON to a python with faker installed")
    }
    report("generate: load average at end", loadAverage())
}
