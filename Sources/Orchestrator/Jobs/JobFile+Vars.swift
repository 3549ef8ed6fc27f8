import Yams

extension JobFile {
    /// A vars mapping given outside a job file (`jobs run --run-vars '{ds: 2026-01-31}'`), typed
    /// as the file's `vars:` are.
    public static func vars(parsing text: String, origin: String = "--run-vars") throws(OrchestratorError) -> [String: JobValue] {
        let reader = JobFileReader(file: origin)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .basic)
        } catch let yamlError as YamlError {
            throw JobFile.describe(yamlError, file: origin)
        } catch {
            throw OrchestratorError(file: origin, "invalid YAML: \(error)")
        }
        guard let node, !reader.isNull(node) else { return [:] }
        return try reader.vars(node, "vars")
    }
}
