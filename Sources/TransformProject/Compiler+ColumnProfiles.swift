import Templating

/// Tests that keep state between builds: `expect_column_distribution_to_be_stable` compares a
/// column with its profile at the last accepted build, so after it runs the engine makes the
/// current distribution the reference. The statements come from the shipped macro
/// `storehouse_refresh_column_profile`, rendered with the test's own arguments in its context.
extension Compiler {
    public static let distributionTestName = "expect_column_distribution_to_be_stable"

    /// Whether a test keeps a column profile the runner refreshes after it.
    public static func keepsColumnProfile(_ node: Node) -> Bool {
        guard let metadata = node.testMetadata else { return false }
        return metadata.name == distributionTestName && metadata.namespace == nil
    }

    /// The SQL script that stores the tested column's current distribution as its reference.
    public func columnProfileRefresh(ofTest id: String) throws -> String {
        guard let node = project.manifest.nodes[id], let metadata = node.testMetadata, Self.keepsColumnProfile(node) else {
            throw TransformError("\(id) is not a \(Self.distributionTestName) test")
        }
        project.renderLock.lock()
        defer { project.renderLock.unlock() }
        let state = RenderState(config: node.config)
        var context = context(for: node, state: state)
        do {
            return try renderGenericTest(node, metadata: metadata, context: &context, state: state,
                                         macroName: "storehouse_refresh_column_profile")
        } catch let e as TemplateError {
            throw TransformError(file: e.file.isEmpty ? node.originalFilePath : e.file, line: e.line, column: e.column,
                                 e.message + e.chain(calledBy: "the column profile of \(node.name)", file: node.originalFilePath))
        }
    }
}
