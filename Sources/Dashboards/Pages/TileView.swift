import SemanticLayer
import WarehouseKit

/// A tile's query results, ready to draw.
public struct TileResult: Sendable {
    public var tile: Tile
    public var queries: [String: TilePlanner.PlannedQuery]
    /// Results by role (`main`, `previous`, `trend`).
    public var results: [String: ResultSet]
    public var unappliedFilters: [String]
    /// Why the tile could not be drawn, if it could not.
    public var error: String?

    public init(tile: Tile, queries: [String: TilePlanner.PlannedQuery], results: [String: ResultSet], unappliedFilters: [String], error: String?) {
        self.tile = tile
        self.queries = queries
        self.results = results
        self.unappliedFilters = unappliedFilters
        self.error = error
    }
}

/// Chooses and fills the chart a tile's kind asks for. Metrics tiles know their columns from
/// the plan (group-bys, then metrics); SQL tiles name them under `columns:` or take the first
/// column as x and the numeric rest as y.
enum TileView {
    static func render(_ result: TileResult, grain: TimeGranularity) throws -> String {
        let tile = result.tile
        guard let main = result.results["main"] else { return EmptyState.svg(.table, size: .standard, title: tile.title) }
        let format = valueFormat(tile.format)
        let (groups, measures) = roles(result, main)
        let timeGrain = TimeGrain(rawValue: grain.rawValue)
        switch tile.kind {
        case .kpi:
            let value = main.scalar?.chartNumber
            let previous = result.results["previous"]?.scalar?.chartNumber
            var trend: ChartData?
            if let rows = result.results["trend"], rows.columns.count >= 2 {
                trend = try? ChartData(rows, x: rows.columns[0].name, y: [rows.columns[rows.columns.count - 1].name], format: format, timeGrain: timeGrain)
            }
            return KPIChart(label: tile.title, value: value, previous: previous, format: format, trend: trend,
                            higherIsBetter: tile.higherIsBetter, comparisonLabel: "vs previous period").render()
        case .line, .bar, .stackedBar:
            guard let x = groups.first else { return DataTable(main, formats: formats(measures, format)).render() }
            let split = tile.kind == .stackedBar || (groups.count > 1 && measures.count == 1) ? groups.dropFirst().first : nil
            let isTime = x.hasPrefix("metric_time") || main.columns.first(where: { $0.name == x }).map(isTimeColumn) == true
            var data = try ChartData(main, x: x, y: split == nil ? measures : [measures[0]], splitBy: split, format: format,
                                     timeGrain: isTime ? timeGrain : nil, dimension: isTime ? nil : x)
            if split == nil {
                // Legends read the metrics' labels, not their identifiers.
                let names = labels(result)
                data.series = data.series.map { ChartSeries(name: names[$0.name] ?? $0.name, values: $0.values) }
            }
            func chart(_ size: ChartSize) -> String {
                switch tile.kind {
                case .line: return LineChart(data, title: tile.title, size: size).render()
                case .stackedBar: return StackedBarChart(data, title: tile.title, size: size).render()
                default: return BarChart(data, orientation: tile.horizontal ? .horizontal : .vertical, title: tile.title, size: size).render()
                }
            }
            guard tile.columnsPerRow == 1 else { return chart(.standard) }
            // A full-row chart is drawn wide for laptops and standard for phones; CSS shows one.
            return "<div class=\"wide-only\">\(chart(.wide))</div><div class=\"narrow-only\">\(chart(.standard))</div>"
        case .table:
            return DataTable(main, formats: formats(measures, format), dimensions: groups.filter { !$0.hasPrefix("metric_time") }, title: tile.title,
                             links: tile.links).render()
        case .funnel:
            if groups.isEmpty, main.rows.count == 1 {
                // One row of stage metrics: each metric is a stage, in the tile's order.
                let names = labels(result)
                let stages = measures.map { measure -> (name: String, count: Double?) in
                    let index = main.columns.firstIndex { $0.name == measure }
                    return (names[measure] ?? measure, index.flatMap { main.rows[0][$0].chartNumber })
                }
                return FunnelChart(stages: stages, format: format == .number ? .integer : format, title: tile.title).render()
            }
            guard let x = groups.first, let y = measures.first else { return EmptyState.svg(.funnel, size: .standard, title: tile.title) }
            return FunnelChart(try ChartData(main, x: x, y: [y], format: format == .number ? .integer : format), title: tile.title).render()
        case .heatmap:
            let cohort = tile.columns["cohort"] ?? main.columns.first?.name ?? ""
            let period = tile.columns["period"] ?? (main.columns.count > 1 ? main.columns[1].name : "")
            let value = tile.columns["value"] ?? main.columns.last?.name ?? ""
            let retention = try CohortRetention(main, cohort: cohort, period: period, value: value, size: tile.columns["size"], grain: timeGrain)
            guard tile.columnsPerRow == 1 else { return CohortHeatmap(retention, title: tile.title).render() }
            return "<div class=\"wide-only\">\(CohortHeatmap(retention, title: tile.title, size: .wide).render())</div>"
                + "<div class=\"narrow-only\">\(CohortHeatmap(retention, title: tile.title).render())</div>"
        case .distribution:
            let column = tile.columns["value"] ?? measures.first ?? main.columns.first?.name ?? ""
            guard let index = main.columns.firstIndex(where: { $0.name == column }) else {
                throw DashboardError.unknownColumn(column, available: main.columnNames)
            }
            return DistributionChart(values: main.rows.map { $0[index].chartNumber }, format: format, title: tile.title).render()
        }
    }

    /// Group-by and measure columns: from the metrics plan, from `columns:`, or first column
    /// versus the numeric rest.
    static func roles(_ result: TileResult, _ main: ResultSet) -> (groups: [String], measures: [String]) {
        if let plan = result.queries["main"], !plan.columns.isEmpty {
            return (plan.columns.filter { $0.role == .groupBy }.map(\.name), plan.columns.filter { $0.role == .metric }.map(\.name))
        }
        let tile = result.tile
        if let x = tile.columns["x"] {
            let y = tile.columns["y"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                ?? main.columnNames.filter { $0 != x && $0 != tile.columns["split"] }
            return ([x] + (tile.columns["split"].map { [$0] } ?? []), y)
        }
        let numeric = main.columns.indices.filter { index in
            main.rows.contains { !$0[index].isNull } && main.rows.allSatisfy { $0[index].isNull || $0[index].chartNumber != nil }
        }
        let measures = numeric.filter { $0 > 0 }.map { main.columns[$0].name }
        return (main.columns.first.map { [$0.name] } ?? [], measures)
    }

    static func labels(_ result: TileResult) -> [String: String] {
        Dictionary((result.queries["main"]?.columns ?? []).map { ($0.name, $0.label) }, uniquingKeysWith: { first, _ in first })
    }

    static func isTimeColumn(_ column: ColumnInfo) -> Bool {
        column.type.hasPrefix("DATE") || column.type.hasPrefix("TIMESTAMP")
    }

    static func formats(_ measures: [String], _ format: ValueFormat) -> [String: ValueFormat] {
        Dictionary(uniqueKeysWithValues: measures.map { ($0, format) })
    }

    static func valueFormat(_ name: String) -> ValueFormat {
        switch name {
        case "integer": return .integer
        case "currency": return .currency()
        case "percent": return .percent
        case "days": return .durationDays
        case "hours": return .durationHours
        default: return .number
        }
    }
}
