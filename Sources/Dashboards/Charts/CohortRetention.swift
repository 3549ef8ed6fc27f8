import WarehouseKit

/// Retention by cohort: for each cohort (customers who started in the same period) the share
/// still active some periods later.
public struct CohortRetention: Sendable, Hashable {
    /// How a result's value column measures retention.
    public enum Measure: String, Sendable, Hashable {
        /// Already a fraction of the cohort, 0…1.
        case fraction
        /// A count of active customers; the count in the first period is the cohort's size.
        case count
    }

    /// Cohorts in row order: dates (a cohort month) or categories.
    public var cohorts: [ChartX]
    /// Period labels in column order, usually `0, 1, 2, …` periods since the cohort started.
    public var periods: [String]
    /// `cells[cohort][period]`: the fraction retained, nil where the period has not happened yet.
    public var cells: [[Double?]]
    /// Customers per cohort, shown beside its row when known.
    public var cohortSizes: [Double?]
    /// The grain of date cohorts; nil infers it from their spacing.
    public var grain: TimeGrain?
    /// The dimension cohorts belong to, for `data-dimension`.
    public var dimension: String?

    /// Retention from parts; `cells` and `cohortSizes` are padded with nil or cut to fit.
    public init(cohorts: [ChartX], periods: [String], cells: [[Double?]], cohortSizes: [Double?] = [], grain: TimeGrain? = nil,
                dimension: String? = nil) {
        self.cohorts = cohorts
        self.periods = periods
        self.cells = cohorts.indices.map { row in
            let values = row < cells.count ? cells[row] : []
            return periods.indices.map { column in column < values.count ? values[column].flatMap { $0.isFinite ? $0 : nil } : nil }
        }
        self.cohortSizes = cohorts.indices.map { $0 < cohortSizes.count ? cohortSizes[$0] : nil }
        self.grain = grain
        self.dimension = dimension
    }

    /// From a long result with one row per (cohort, period). Periods that are all numbers sort
    /// numerically; date cohorts sort in time, other cohorts keep the query's order.
    ///
    /// ```swift
    /// let retention = try CohortRetention(result, cohort: "cohort_month", period: "months_since_first",
    ///                                     value: "active_customers", measure: .count)
    /// ```
    public init(_ result: ResultSet, cohort: String, period: String, value: String, measure: Measure = .fraction, size: String? = nil,
                grain: TimeGrain? = nil, dimension: String? = nil) throws {
        let cohortIndex = try result.index(of: cohort)
        let periodIndex = try result.index(of: period)
        let valueIndex = try result.index(of: value)
        let sizeIndex = try size.map { try result.index(of: $0) }

        var cohorts: [ChartX] = []
        var cohortRow: [ChartX: Int] = [:]
        var periods: [String] = []
        var periodColumn: [String: Int] = [:]
        var values: [Int: [Int: Double]] = [:]
        var sizes: [Int: Double] = [:]
        for row in result.rows {
            let key = ChartX(row[cohortIndex])
            guard key != .null, let periodText = row[periodIndex].string else { continue }
            let r: Int
            if let known = cohortRow[key] { r = known } else { r = cohorts.count; cohortRow[key] = r; cohorts.append(key) }
            let c: Int
            if let known = periodColumn[periodText] { c = known } else { c = periods.count; periodColumn[periodText] = c; periods.append(periodText) }
            if values[r]?[c] == nil, let number = row[valueIndex].chartNumber { values[r, default: [:]][c] = number }
            if let sizeIndex, sizes[r] == nil, let number = row[sizeIndex].chartNumber { sizes[r] = number }
        }

        var periodOrder = Array(periods.indices)
        if periods.allSatisfy({ Double($0) != nil }) {
            periodOrder.sort { (Double(periods[$0])!, $0) < (Double(periods[$1])!, $1) }
        }
        var cohortOrder = Array(cohorts.indices)
        if cohorts.allSatisfy({ $0.days != nil }) {
            cohortOrder.sort { (cohorts[$0].days!, $0) < (cohorts[$1].days!, $1) }
        }
        var cells: [[Double?]] = []
        var cohortSizes: [Double?] = []
        for r in cohortOrder {
            let raw = periodOrder.map { values[r]?[$0] }
            switch measure {
            case .fraction:
                cells.append(raw)
                cohortSizes.append(sizes[r])
            case .count:
                // The cohort's size is its count in the first period; everything is relative to it.
                let base = sizes[r] ?? raw.first ?? nil
                cells.append(raw.map { value in value.flatMap { v in base.flatMap { $0 > 0 ? v / $0 : nil } } })
                cohortSizes.append(base)
            }
        }
        self.init(cohorts: cohortOrder.map { cohorts[$0] }, periods: periodOrder.map { periods[$0] }, cells: cells,
                  cohortSizes: cohortSizes, grain: grain, dimension: dimension)
    }

    /// The retention run through the initialiser again, so cells line up with cohorts and periods
    /// even after the public vars were changed.
    var normalized: CohortRetention {
        CohortRetention(cohorts: cohorts, periods: periods, cells: cells, cohortSizes: cohortSizes, grain: grain, dimension: dimension)
    }

    /// True when no cell has a value.
    public var isEmpty: Bool { !cells.contains { $0.contains { $0 != nil } } }

    var effectiveGrain: TimeGrain { grain ?? TimeLabels.inferGrain(cohorts.compactMap(\.civilDate)) }
}
