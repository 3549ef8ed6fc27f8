import Foundation
@testable import TransformProject

/// Paths of the fixture projects, and copies in temporary folders for tests that edit files.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let jaffle = root + "/jaffle_shop"
    static let expectedCompiled = root + "/expected_compiled"

    static func options(_ dir: String = jaffle, vars: String? = nil) -> LoadOptions {
        LoadOptions(projectDir: dir, vars: vars, environment: ["JAFFLE_DB_DIR": "/tmp"], homeDirectory: "/nonexistent")
    }

    /// A copy of the jaffle shop in a fresh temporary folder, with `edits` (relative path → new text,
    /// nil deletes) applied.
    static func copy(_ edits: [String: String?] = [:]) throws -> String {
        let dir = NSTemporaryDirectory() + "storehouse-tp-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: jaffle, toPath: dir)
        for (path, text) in edits {
            let full = dir + "/" + path
            if let text {
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.removeItem(atPath: full)
            }
        }
        return dir
    }

    /// The error `body` throws, or nil.
    static func loadError(_ edits: [String: String?]) throws -> TransformError? {
        let dir = try copy(edits)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try ProjectLoader.load(options(dir))
            return nil
        } catch let e as TransformError {
            return e
        }
    }
}
