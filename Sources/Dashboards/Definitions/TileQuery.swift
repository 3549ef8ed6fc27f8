import Foundation
import SemanticLayer
import Templating
import TransformProject

/// The query behind a tile for a given dashboard state.
public enum TileQuery {
    /// The metrics query of a metrics tile: `metric_time` at the state's grain, the date range,
    /// and each dashboard filter the tile's metrics can reach. nil for SQL tiles.
    public static func metricQuery(for tile: Tile, in dashboard: Dashboard, state: DashboardState,
                                   catalogue: MetricCatalogue) throws -> MetricQuery? {
        guard case .metrics(let metrics, let groupBy, let filters, let orderBy, let limit) = tile.source else { return nil }
        let grain = state.grain ?? dashboard.grain
        let groups = groupBy.map { $0 == GroupByName.metricTimeName ? "metric_time__\(grain.rawValue)" : $0 }
        let reachable = Set(try catalogue.dimensions(of: metrics).map(\.name))
        var values: [String: [String]] = [:]
        for (dimension, chosen) in state.filters where reachable.contains(dimension) { values[dimension] = chosen }
        return MetricQuery(metrics: metrics, groupBy: groups, filters: filters, orderBy: orderBy, limit: limit,
                           startTime: state.start, endTime: state.end, dimensionValues: values)
    }

    /// Dashboard filters that do not reach a tile (shown on the tile, so nobody reads an
    /// unfiltered number as a filtered one).
    public static func unappliedFilters(for tile: Tile, state: DashboardState, catalogue: MetricCatalogue) -> [String] {
        let chosen = state.filters.filter { !$0.value.isEmpty }.map(\.key)
        guard !chosen.isEmpty else { return [] }
        if tile.metricNames.isEmpty { return chosen.sorted() }
        let reachable = Set((try? catalogue.dimensions(of: tile.metricNames).map(\.name)) ?? [])
        return chosen.filter { !reachable.contains($0) }.sorted()
    }

    /// A SQL tile's text with `{{ ref('model') }}` as the model's relation and
    /// `{{ date_range('column') }}` as the state's date range on that column (`true` when open).
    public static func renderSQL(_ text: String, tile: Tile, models: [String: QualifiedRelation],
                                 range: (start: String?, end: String?)?) throws -> String {
        let template: Template
        do { template = try Template(source: text, name: "tile \(tile.name)") } catch let error as TemplateError {
            throw SemanticError(.invalidDefinition, "the SQL of tile '\(tile.name)' is not valid Jinja: \(error.message)")
        }
        let environment = Environment()
        environment.globals["ref"] = .function(NativeFunction(name: "ref") { args in
            let name = try args.string(0, "name", of: "ref")
            guard let relation = models[name] else {
                throw TemplateError.raised("ref('\(name)') names no model of the project"
                    + (Suggest.closest(to: name, among: Array(models.keys)).map { " (did you mean '\($0)'?)" } ?? ""))
            }
            return .string(relation.description)
        })
        environment.globals["date_range"] = .function(NativeFunction(name: "date_range") { args in
            let column = try args.string(0, "column", of: "date_range")
            var conditions: [String] = []
            // The state's dates are checked to be YYYY-MM-DD before they get here.
            if let start = range?.start { conditions.append("\(column) >= date '\(start)'") }
            if let end = range?.end { conditions.append("\(column) < date '\(end)' + interval '1 day'") }
            return .string(conditions.isEmpty ? "true" : "(" + conditions.joined(separator: " and ") + ")")
        })
        do { return try environment.render(template, context: [:]) } catch let error as TemplateError {
            throw SemanticError(.invalidDefinition, "in the SQL of tile '\(tile.name)': \(error.message)")
        }
    }
}
