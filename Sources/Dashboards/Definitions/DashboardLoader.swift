import Foundation
import SemanticLayer
import TransformProject
import Yams

/// Reads dashboards from YAML text and checks each against the semantic layer and the project's
/// models, so a tile that names an unknown metric, dimension or model stops `serve` at start-up
/// with file:line rather than rendering broken. Pure: the caller reads the files.
public struct DashboardLoader {
    public let semantics: SemanticManifest
    /// Model name → relation, for `{{ ref('…') }}` in SQL tiles.
    public let models: [String: QualifiedRelation]

    public init(semantics: SemanticManifest, models: [String: QualifiedRelation]) {
        self.semantics = semantics
        self.models = models
    }

    /// Every `dashboards:` entry of one file.
    public func parse(_ text: String, file: String) throws -> [Dashboard] {
        let document: Yams.Node?
        do { document = try YAMLSupport.parse(text, file: file) } catch let error as TransformError {
            throw SemanticError(.invalidDefinition, error.message, at: SourceLocation(file: file, line: error.line))
        }
        return try YAMLSupport.items(YAMLSupport.lookup(document, "dashboards")).map { try dashboard($0, file: file) }
    }

    /// Dashboards from several files; names must be unique across them.
    public func parse(files: [(path: String, text: String)]) throws -> [Dashboard] {
        var all: [Dashboard] = []
        for file in files {
            for dashboard in try parse(file.text, file: file.path) {
                if let other = all.first(where: { $0.name == dashboard.name }) {
                    throw SemanticError(.invalidDefinition, "dashboard '\(dashboard.name)' is defined twice (also at \(other.location)); rename one", at: dashboard.location)
                }
                all.append(dashboard)
            }
        }
        return all
    }

    func dashboard(_ item: Yams.Node, file: String) throws -> Dashboard {
        let location = SourceLocation(file: file, line: YAMLSupport.line(item))
        guard let name = YAMLSupport.string(item, "name"), !name.isEmpty else {
            throw SemanticError(.invalidDefinition, "a dashboard has no `name:`; add one (it becomes the page's address)", at: location)
        }
        let grainText = YAMLSupport.string(item, "grain") ?? "week"
        guard let grain = TimeGranularity(rawValue: grainText), grain >= .day else {
            throw SemanticError(.invalidDefinition, "dashboard '\(name)' has grain '\(grainText)'; use day, week, month, quarter or year", at: location)
        }
        var rangeDays: Int? = 90
        if let range = YAMLSupport.lookup(item, "range") {
            switch YAMLSupport.value(range) {
            case .int(let days) where days > 0: rangeDays = days
            case .string("all"): rangeDays = nil
            default: throw SemanticError(.invalidDefinition, "dashboard '\(name)' has range '\(YAMLSupport.value(range))'; write a number of days or `all`", at: location)
            }
        }
        let filters = try YAMLSupport.items(YAMLSupport.lookup(item, "filters")).map { node -> DashboardFilter in
            let here = SourceLocation(file: file, line: YAMLSupport.line(node))
            guard let dimension = YAMLSupport.string(node, "dimension") else {
                throw SemanticError(.invalidDefinition, "a filter of dashboard '\(name)' names no `dimension:`", at: here)
            }
            return DashboardFilter(dimension: dimension, label: YAMLSupport.string(node, "label") ?? Self.humanised(dimension))
        }
        var tiles: [Tile] = []
        for node in YAMLSupport.items(YAMLSupport.lookup(item, "tiles")) {
            let tile = try self.tile(node, dashboard: name, file: file)
            if tiles.contains(where: { $0.name == tile.name }) {
                throw SemanticError(.invalidDefinition, "dashboard '\(name)' has two tiles named '\(tile.name)'; tile names must differ", at: tile.location)
            }
            tiles.append(tile)
        }
        guard !tiles.isEmpty else {
            throw SemanticError(.invalidDefinition, "dashboard '\(name)' has no tiles; add at least one under `tiles:`", at: location)
        }
        let links = try YAMLSupport.items(YAMLSupport.lookup(item, "links")).map { node -> DashboardLink in
            let here = SourceLocation(file: file, line: YAMLSupport.line(node))
            guard let title = YAMLSupport.string(node, "title"), let href = YAMLSupport.string(node, "href"),
                  href.hasPrefix("/"), !href.hasPrefix("//") else {
                throw SemanticError(.invalidDefinition, "a link of dashboard '\(name)' needs a `title:` and an `href:` that is a path on this server, "
                    + "e.g. {title: Model graph, href: /models/graph}", at: here)
            }
            return DashboardLink(title: title, href: href)
        }
        let dashboard = Dashboard(name: name, title: YAMLSupport.string(item, "title") ?? Self.humanised(name),
                                  description: YAMLSupport.string(item, "description") ?? "", grain: grain, rangeDays: rangeDays,
                                  filters: filters, tiles: tiles, location: location, links: links)
        try check(dashboard)
        return dashboard
    }

    func tile(_ node: Yams.Node, dashboard: String, file: String) throws -> Tile {
        let location = SourceLocation(file: file, line: YAMLSupport.line(node))
        guard let name = YAMLSupport.string(node, "name"), !name.isEmpty else {
            throw SemanticError(.invalidDefinition, "a tile of dashboard '\(dashboard)' has no `name:`", at: location)
        }
        let kindText = YAMLSupport.string(node, "type") ?? "line"
        guard let kind = Tile.Kind(rawValue: kindText) else {
            throw SemanticError(.invalidDefinition, "tile '\(name)' has type '\(kindText)'; use one of \(Tile.Kind.allCases.map(\.rawValue).joined(separator: ", "))", at: location)
        }
        func list(_ key: String) -> [String] {
            let value = YAMLSupport.lookup(node, key)
            if let value, case .scalar(let s) = value { return s.string.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            return YAMLSupport.items(value).compactMap { YAMLSupport.value($0).stringValue }
        }
        let source: Tile.Source
        if let sql = YAMLSupport.string(node, "sql") {
            source = .sql(sql)
        } else {
            var metrics = list("metrics")
            if let one = YAMLSupport.string(node, "metric") { metrics.insert(one, at: 0) }
            guard !metrics.isEmpty else {
                throw SemanticError(.invalidDefinition, "tile '\(name)' shows nothing; give it `metrics: [...]` (or `metric:`) or `sql:`", at: location)
            }
            let limit = YAMLSupport.lookup(node, "limit").flatMap { YAMLSupport.value($0).intValue }
            source = .metrics(metrics: metrics, groupBy: list("group_by"), filters: list("where"), orderBy: list("order_by"), limit: limit)
        }
        let width = YAMLSupport.string(node, "width") ?? (kind == .kpi ? "third" : "half")
        let perRow = ["full": 1, "half": 2, "third": 3][width]
        guard let perRow else {
            throw SemanticError(.invalidDefinition, "tile '\(name)' has width '\(width)'; use full, half or third", at: location)
        }
        let columns = Dictionary(YAMLSupport.entries(YAMLSupport.lookup(node, "columns")).compactMap { key, value in
            YAMLSupport.value(value).stringValue.map { (key, $0) }
        }, uniquingKeysWith: { first, _ in first })
        let links = Dictionary(YAMLSupport.entries(YAMLSupport.lookup(node, "links")).compactMap { key, value in
            YAMLSupport.value(value).stringValue.map { (key, $0) }
        }, uniquingKeysWith: { first, _ in first })
        for (column, link) in links where !link.hasPrefix("/") || !link.contains("{value}") {
            throw SemanticError(.invalidDefinition, "tile '\(name)' links column '\(column)' to '\(link)'; write a path on this server with {value}, e.g. /customers/{value}", at: location)
        }
        let format = YAMLSupport.string(node, "format") ?? "number"
        guard Self.formats.contains(format) else {
            throw SemanticError(.invalidDefinition, "tile '\(name)' has format '\(format)'; use one of \(Self.formats.joined(separator: ", "))", at: location)
        }
        return Tile(name: name, title: YAMLSupport.string(node, "title") ?? Self.humanised(name), description: YAMLSupport.string(node, "description") ?? "",
                    kind: kind, source: source, columnsPerRow: perRow,
                    horizontal: YAMLSupport.lookup(node, "horizontal").flatMap { YAMLSupport.value($0).boolValue } ?? false,
                    columns: columns, links: links, format: format,
                    higherIsBetter: YAMLSupport.lookup(node, "higher_is_better").flatMap { YAMLSupport.value($0).boolValue } ?? true,
                    location: location)
    }

    /// Every metrics tile plans with the dashboard's grain and each filter it can take; every
    /// SQL tile's refs name models; every filter reaches at least one tile.
    func check(_ dashboard: Dashboard) throws {
        let planner = MetricQueryPlanner(semantics, dialect: .duckdb)
        let catalogue = MetricCatalogue(semantics)
        for tile in dashboard.tiles {
            do {
                switch tile.source {
                case .metrics(let metrics, _, _, _, _):
                    _ = try planner.plan(TileQuery.metricQuery(for: tile, in: dashboard, state: DashboardState(), catalogue: catalogue)!)
                    for metric in metrics where semantics.metric(named: metric) == nil { _ = try semantics.requireMetric(metric) }
                case .sql(let text):
                    _ = try TileQuery.renderSQL(text, tile: tile, models: models, range: nil)
                }
            } catch let error as SemanticError where error.location == nil {
                throw SemanticError(error.code, "tile '\(tile.name)' of dashboard '\(dashboard.name)': \(error.message)", at: tile.location)
            }
        }
        for filter in dashboard.filters {
            let reached = dashboard.tiles.contains { tile in
                !tile.metricNames.isEmpty && ((try? catalogue.dimensions(of: tile.metricNames))?.contains { $0.name == filter.dimension } ?? false)
            }
            if !reached {
                throw SemanticError(.unknownDimension, "filter '\(filter.dimension)' of dashboard '\(dashboard.name)' applies to none of its tiles; "
                    + "name a dimension its metrics can be grouped by (`storehouse metrics dimensions --metrics …`)", at: dashboard.location)
            }
        }
    }

    static let formats = ["number", "integer", "currency", "percent", "days", "hours"]

    /// `customer__segment` → `Segment`; `net_revenue` → `Net revenue`.
    static func humanised(_ name: String) -> String {
        let last = name.components(separatedBy: "__").last ?? name
        let words = last.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
