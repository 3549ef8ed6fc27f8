/// What went wrong reading `ml.yml`, the feature tables, the registry or writing scores: where
/// (file:line:col, table, model) and what to do.
public struct LearningRuntimeError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message + (hint.map { "\n  hint: " + $0 } ?? "") }
}
