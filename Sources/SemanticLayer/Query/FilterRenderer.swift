import Templating

/// Renders a `filter:` or `--where` expression: `{{ Dimension('customer__segment') }} = 'VIP'`
/// becomes `"customer__segment" = 'VIP'`, and the names it used are collected so the planner
/// makes those columns available before filtering.
///
/// Supported, as MetricFlow's: `Dimension('entity__name')` (with `.grain('month')`),
/// `TimeDimension('name', 'grain')`, `Entity('name')`.
enum FilterRenderer {
    struct Rendered {
        var sql: String
        var names: [GroupByName]
    }

    static func render(_ text: String, origin: String) throws -> Rendered {
        let collector = NameCollector()
        let template: Template
        do { template = try Template(source: text, name: origin) } catch let error as TemplateError {
            throw SemanticError(.invalidQuery, "the filter \(origin) is not valid Jinja: \(error.message)")
        }
        let environment = Environment()
        func reference(_ text: String, grain: String?) throws -> Value {
            var name = try GroupByName(parsing: text)
            if let grain {
                guard let g = TimeGranularity(rawValue: grain.lowercased()) else {
                    throw TemplateError.raised("'\(grain)' is not a time grain; use day, week, month, quarter or year")
                }
                name.grain = g
            }
            return .object(ReferenceObject(name: name, collector: collector))
        }
        environment.globals["Dimension"] = .function(NativeFunction(name: "Dimension") { args in
            try reference(try args.string(0, "name", of: "Dimension"), grain: nil)
        })
        environment.globals["TimeDimension"] = .function(NativeFunction(name: "TimeDimension") { args in
            try reference(try args.string(0, "name", of: "TimeDimension"), grain: args.arg(1, "time_granularity_name")?.stringValue ?? args.arg(1, "grain")?.stringValue)
        })
        environment.globals["Entity"] = .function(NativeFunction(name: "Entity") { args in
            try reference(try args.string(0, "name", of: "Entity"), grain: nil)
        })
        environment.globals["Metric"] = .function(NativeFunction(name: "Metric") { _ in
            throw TemplateError.raised("Metric() in filters is not supported yet; filter on a dimension, or define a metric with the filter")
        })
        do {
            let sql = try environment.render(template, context: [:])
            return Rendered(sql: sql, names: collector.names)
        } catch let error as TemplateError {
            throw SemanticError(.invalidQuery, "in the filter \(origin) `\(text)`: \(error.message)")
        } catch let error as SemanticError {
            throw SemanticError(error.code, "in the filter \(origin) `\(text)`: \(error.message)")
        }
    }

    /// The column a reference stands for in the filtered rows.
    static func columnName(_ name: GroupByName) -> String {
        name.description
    }

    private final class NameCollector {
        var names: [GroupByName] = []
    }

    /// `{{ Dimension('x') }}` prints the column; `.grain('month')` gives the same name at a grain.
    private final class ReferenceObject: TemplateObject {
        let name: GroupByName
        let collector: NameCollector
        var recorded = false

        init(name: GroupByName, collector: NameCollector) {
            self.name = name
            self.collector = collector
        }

        var renderedString: String {
            if !collector.names.contains(name) { collector.names.append(name) }
            return SQLText.quote(FilterRenderer.columnName(name))
        }

        func attribute(_ attribute: String) -> Value? {
            guard attribute == "grain" else { return nil }
            let base = name
            let collector = self.collector
            return .function(NativeFunction(name: "grain") { args in
                let text = try args.string(0, "time_granularity", of: "grain")
                guard let grain = TimeGranularity(rawValue: text.lowercased()) else {
                    throw TemplateError.raised("'\(text)' is not a time grain; use day, week, month, quarter or year")
                }
                var name = base
                name.grain = grain
                return .object(ReferenceObject(name: name, collector: collector))
            })
        }

        func item(_ key: Value) -> Value? { nil }
        func iterate() -> [Value]? { nil }
    }
}
