import Foundation
import TransformProject

/// Runs `git` for `deps`: never prompts (a missing credential fails instead of waiting for a
/// password), and a failure carries git's own last words.
struct GitCommand {
    var workingDirectory: String?

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = "true"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw GitFailure(message: "git could not be started (\(error.localizedDescription)); install git to fetch git packages")
        }
        // Read both pipes before waiting: a chatty clone would otherwise block on a full pipe.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errData, as: UTF8.self).split(separator: "\n").filter { !$0.isEmpty }.suffix(2).joined(separator: " / ")
            throw GitFailure(message: said.isEmpty ? "git \(arguments.first ?? "") exited with status \(process.terminationStatus)" : said)
        }
        return String(decoding: outData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct GitFailure: Error {
    var message: String
}
