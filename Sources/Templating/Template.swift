import Foundation

/// A parsed template: lexed and parsed once, rendered any number of times by an `Environment`.
///
/// ```swift
/// let template = try Template(source: "select {{ cols | join(', ') }} from t", name: "models/m.sql")
/// let sql = try Environment().render(template, context: ["cols": ["a", "b"]])
/// ```
public final class Template: Sendable {
    /// The file path shown in errors.
    public let name: String
    let nodes: [Node]
    let locator: SourceLocator
    let macroDefinitions: [String: MacroDefinition]
    private let macroOrder: [String]
    /// dbt `{% docs %}` blocks in source order.
    public let docsBlocks: [DocsBlock]
    /// Names of dbt `{% snapshot %}` blocks in source order.
    public let snapshotNames: [String]
    /// The package (a dbt package other than the project itself) the file belongs to: while a
    /// node of that package renders, the package's macros answer to their plain names, as in dbt.
    public let package: String?

    /// Parses `source`; throws a `TemplateError` naming `name`, line and column on a syntax error.
    public init(source: String, name: String, package: String? = nil) throws {
        self.name = name
        self.package = package
        let bytes = Lexer.normalize(source)
        let locator = SourceLocator(bytes: bytes)
        self.locator = locator
        var lexer = Lexer(bytes: bytes, file: name, locator: locator)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens, file: name, locator: locator)
        nodes = try parser.parseTemplate()
        var table: [String: MacroDefinition] = [:]
        var order: [String] = []
        for definition in parser.topLevelMacros {
            if table[definition.name] == nil { order.append(definition.name) }
            table[definition.name] = definition
        }
        macroDefinitions = table
        macroOrder = order
        docsBlocks = parser.docsBlocks
        snapshotNames = parser.snapshotNames
    }

    /// Top-level `{% macro %}` definitions (dbt `{% test x %}` appears as `test_x`,
    /// `{% materialization m, adapter='a' %}` as `materialization_m_a`), in source order.
    public var macroNames: [String] { macroOrder }

    /// The docs blocks of a dbt `.md` file, keyed by name.
    public static func docsBlocks(in source: String, name: String) throws -> [String: String] {
        let template = try Template(source: source, name: name)
        var result: [String: String] = [:]
        for block in template.docsBlocks { result[block.name] = block.contents }
        return result
    }

    func error(at offset: Int, _ message: String) -> TemplateError {
        locator.error(file: name, offset: offset, message: message)
    }
}
