import Templating
import XCTest

/// Renders `source` as a template named "t.sql".
func render(_ source: String, _ context: [String: Value] = [:], environment: Environment = Environment()) throws -> String {
    try environment.render(Template(source: source, name: "t.sql"), context: context)
}

/// The full description of the error that parsing or rendering `source` throws, or a failure.
func renderError(
    _ source: String, _ context: [String: Value] = [:], environment: Environment = Environment(),
    file: StaticString = #filePath, line: UInt = #line
) -> String {
    do {
        let output = try render(source, context, environment: environment)
        XCTFail("expected an error, got output \(output.debugDescription)", file: file, line: line)
        return ""
    } catch let error as TemplateError {
        return error.description
    } catch {
        XCTFail("expected a TemplateError, got \(error)", file: file, line: line)
        return ""
    }
}
