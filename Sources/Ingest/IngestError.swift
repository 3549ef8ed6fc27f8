/// What went wrong declaring, loading or exporting: where (connectors.yml:line:col, file, row,
/// table) and what to do.
public struct IngestError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    public var description: String { message + (hint.map { "\n  hint: " + $0 } ?? "") }
}
