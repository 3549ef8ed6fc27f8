import Yams

extension JobFile {
    /// A vars mapping given outside a job file (`jobs run --run-vars '{ds: 2026-01-31}'`), typed
    /// as the file's `vars:` are.
    public static func vars(parsing text: String, origin: String = "--run-vars") throws(OrchestratorError) -> [String: JobValue] {
        let reader = JobFileReader(file: origin)
        guard let node = try compose(text, file: origin), !reader.isNull(node) else { return [:] }
        return try reader.vars(node, "vars")
    }
}
