import Foundation

/// Finds and runs the `storehouse` executable built next to the test bundle.
enum StorehouseProcess {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("storehouse"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("storehouse"))
        for test in Bundle.allBundles where test.bundlePath.hasSuffix(".xctest") {
            candidates.append(test.bundleURL.deletingLastPathComponent().appendingPathComponent("storehouse"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `storehouse` (or `tool`, such as a Python that checks what it wrote). Both pipes are
    /// read at once: a process that fills one pipe while the test waits on the other would hang.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], tool: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = tool ?? executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errorReader = DispatchQueue(label: "stderr")
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        errorReader.async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }
}
