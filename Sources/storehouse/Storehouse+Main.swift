import ArgumentParser
import Foundation

extension Storehouse {
    /// ArgumentParser's own entry point, except that a usage error (unknown flag, bad value,
    /// failed `validate()`) exits with 2 instead of EX_USAGE (64): the README promises dbt's
    /// codes, 0 success, 1 failures, 2 usage or project errors.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
