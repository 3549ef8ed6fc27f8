import WarehouseKit

extension ChartData {
    /// Chart data from query results: one x column and one or more measure columns, or one
    /// measure split into a series per value of `splitBy` (long format, as a GROUP BY returns it).
    ///
    /// Time x values are sorted ascending; categories keep the query's order, so `ORDER BY`
    /// decides the order of bars. Series appear in the order their names first occur. NULL
    /// measures stay missing (nil), a NULL split value becomes the series "(none)", and a
    /// repeated (x, series) pair keeps its first value.
    ///
    /// ```swift
    /// let data = try ChartData(result, x: "month", y: ["revenue"], splitBy: "channel", format: .currency())
    /// ```
    public init(
        _ result: ResultSet, x: String, y: [String], splitBy: String? = nil, format: ValueFormat = .number,
        timeGrain: TimeGrain? = nil, dimension: String? = nil, xTitle: String? = nil, yTitle: String? = nil
    ) throws {
        guard !y.isEmpty else { throw DashboardError.noMeasures }
        let xIndex = try result.index(of: x)
        let yIndexes = try y.map { try result.index(of: $0) }
        let splitIndex = try splitBy.map { try result.index(of: $0) }
        if let splitBy, y.count != 1 { throw DashboardError.splitNeedsOneMeasure(splitBy: splitBy, measures: y) }

        var xs: [ChartX] = []
        var xPosition: [ChartX: Int] = [:]
        var names: [String] = splitIndex == nil ? y : []
        var namePosition: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var cells: [Int: [Int: Double]] = [:]  // series → x → value

        for row in result.rows {
            let xValue = ChartX(row[xIndex])
            let column: Int
            if let known = xPosition[xValue] { column = known } else {
                column = xs.count
                xPosition[xValue] = column
                xs.append(xValue)
            }
            if let splitIndex {
                let name = row[splitIndex].string ?? "(none)"
                let seriesIndex: Int
                if let known = namePosition[name] { seriesIndex = known } else {
                    seriesIndex = names.count
                    namePosition[name] = seriesIndex
                    names.append(name)
                }
                if cells[seriesIndex]?[column] == nil, let value = row[yIndexes[0]].chartNumber {
                    cells[seriesIndex, default: [:]][column] = value
                }
            } else {
                for (seriesIndex, yIndex) in yIndexes.enumerated() where cells[seriesIndex]?[column] == nil {
                    if let value = row[yIndex].chartNumber { cells[seriesIndex, default: [:]][column] = value }
                }
            }
        }

        var order = Array(xs.indices)
        let probe = ChartData(x: xs, series: [])
        if probe.isTimeSeries {
            // NULL has no place on a time axis; the rest reads left to right in time.
            order = order.filter { xs[$0] != .null }.sorted { (xs[$0].days!, $0) < (xs[$1].days!, $1) }
        }
        let series = names.indices.map { seriesIndex in
            ChartSeries(name: names[seriesIndex], values: order.map { cells[seriesIndex]?[$0] })
        }
        self.init(
            x: order.map { xs[$0] }, series: series, format: format, timeGrain: timeGrain, dimension: dimension,
            xTitle: xTitle, yTitle: yTitle)
    }
}

extension ResultSet {
    func index(of column: String) throws -> Int {
        guard let index = columns.firstIndex(where: { $0.name == column }) else {
            throw DashboardError.unknownColumn(column, available: columnNames)
        }
        return index
    }
}

extension WarehouseValue {
    /// The value as a number to plot, or nil for NULL, text that is no number, and NaN/infinity.
    var chartNumber: Double? {
        switch self {
        case .bool: return nil
        default:
            guard let value = double, value.isFinite else { return nil }
            return value
        }
    }
}
