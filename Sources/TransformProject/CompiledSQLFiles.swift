import Foundation

/// The compiled SQL files under `target/compiled/<project>/…`. Each folder is created once, and
/// files are written in place as dbt writes them: an atomic write (temporary file plus rename) per
/// node doubled the file creations, which dominated `storehouse compile` on large projects; and
/// Foundation's `Data.write` fsyncs every file, which costs more than the compile. A file that
/// already holds the same SQL is left alone: rewriting it would free and allocate its blocks again.
public struct CompiledSQLFiles {
    let projectRoot: String
    private var created: Set<String> = []

    public init(projectRoot: String) { self.projectRoot = projectRoot }

    public mutating func write(_ node: CompiledNode) throws {
        let path = (projectRoot as NSString).appendingPathComponent(node.compiledPath)
        let folder = (path as NSString).deletingLastPathComponent
        if created.insert(folder).inserted {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var sql = node.sql
        let length = sql.utf8.count
        if Self.holds(path, sql: &sql, length: length) { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw TransformError(file: node.compiledPath, "cannot write the compiled SQL here (\(String(cString: strerror(errno)))); check that the target folder is writable")
        }
        defer { close(fd) }
        let written = sql.withUTF8 { bytes in bytes.isEmpty ? 0 : Foundation.write(fd, bytes.baseAddress, bytes.count) }
        guard written == length else {
            throw TransformError(file: node.compiledPath, "could not write all of the compiled SQL (\(String(cString: strerror(errno)))); check the free disk space")
        }
    }

    /// Whether the file at `path` already holds exactly `sql` (one stat, one read).
    private static func holds(_ path: String, sql: inout String, length: Int) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, Int(info.st_size) == length, length > 0 else { return false }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: length)
        let read = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, length) }
        guard read == length else { return false }
        return sql.withUTF8 { bytes in bytes.elementsEqual(buffer) }
    }
}
