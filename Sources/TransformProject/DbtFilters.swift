import Foundation
import Templating

/// dbt's own Jinja filters, which turn rendered text into native values (`"{{ env_var('PORT') | as_number }}"`
/// in profiles.yml). Installed on every environment a project renders with.
enum DbtFilters {
    static func install(on environment: Environment) {
        environment.filters["as_number"] = { value, _ in
            guard let text = value.stringValue?.trimmingCharacters(in: .whitespaces) else { return value }
            if let integer = Int(text) { return .int(integer) }
            if let number = Double(text) { return .double(number) }
            throw TemplateError.raised("as_number: '\(text)' is not a number")
        }
        environment.filters["as_bool"] = { value, _ in
            switch value.stringValue?.lowercased() {
            case "true"?: return .bool(true)
            case "false"?: return .bool(false)
            case nil: return value
            case let other?: throw TemplateError.raised("as_bool: '\(other)' is not true or false")
            }
        }
        environment.filters["as_native"] = { value, _ in
            guard let text = value.stringValue else { return value }
            if let integer = Int(text) { return .int(integer) }
            if let number = Double(text) { return .double(number) }
            if text == "True" || text == "true" { return .bool(true) }
            if text == "False" || text == "false" { return .bool(false) }
            return value
        }
        environment.filters["as_text"] = { value, _ in .string(value.renderedString) }
    }
}
