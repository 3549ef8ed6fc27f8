import SemanticLayer
import TransformProject

extension TilePlanner {
    /// The semantic model behind a metrics tile's first metric (whose rows its "rows" link
    /// shows); nil for SQL tiles.
    public func rowsModel(for tile: Tile) throws -> SemanticModel? {
        guard let metric = tile.metricNames.first else { return nil }
        return try MetricQueryPlanner(semantics, dialect: dialect).rowsModel(of: metric)
    }

    /// The rows behind a tile for a dashboard state: its first metric's model, in the state's
    /// date range, with the tile's `where:` filters and every filter of the state (the filter
    /// bar's and a clicked bar's) the model can reach. `columns` are the model's, as built.
    public func rowsPlan(for tile: Tile, state: DashboardState, columns: [String], limit: Int?, offset: Int) throws -> MetricRowsPlan? {
        guard case .metrics(let metrics, _, let filters, _, _) = tile.source, let metric = metrics.first else { return nil }
        let query = MetricRowsQuery(metric: metric, columns: columns, startTime: state.start, endTime: state.end,
                                    dimensionValues: state.filters, filters: filters, limit: limit, offset: offset)
        return try MetricQueryPlanner(semantics, dialect: dialect).rows(query)
    }

    /// A query with no rows whose columns are the relation's, to learn them from the warehouse.
    public static func columnsQuery(for relation: QualifiedRelation) -> String {
        "select * from \(relation) where 1 = 0"
    }
}
