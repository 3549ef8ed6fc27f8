import WarehouseKit

/// The calendar period one point of a time series stands for; it decides tick spacing and labels.
public enum TimeGrain: String, Sendable, Hashable, CaseIterable {
    case day, week, month, quarter, year
}

/// One position along a chart's x axis: a category, or a point in time.
public enum ChartX: Sendable, Hashable {
    case category(String)
    case date(CivilDate)
    case timestamp(Timestamp)
    /// A NULL dimension value; shown as "(none)", and a time axis has no place for it.
    case null

    /// The value as the warehouse holds it, for `data-x`; nil for NULL.
    public var rawText: String? {
        switch self {
        case .category(let text): return text
        case .date(let date): return date.description
        case .timestamp(let time): return time.description
        case .null: return nil
        }
    }

    /// Days since 1970-01-01 (with a fraction for timestamps), the position on a time axis.
    var days: Double? {
        switch self {
        case .date(let date): return Double(date.daysSinceEpoch)
        case .timestamp(let time): return Double(time.micros) / Double(Timestamp.microsPerDay)
        case .category, .null: return nil
        }
    }

    var civilDate: CivilDate? {
        switch self {
        case .date(let date): return date
        case .timestamp(let time): return time.date
        case .category, .null: return nil
        }
    }

    /// The value as a reader names it: `Mar 2026` for a month, `Q1 2026` for a quarter.
    public func label(grain: TimeGrain) -> String {
        switch self {
        case .category(let text): return text
        case .null: return "(none)"
        case .date: return TimeLabels.full(civilDate!, grain: grain)
        case .timestamp(let time):
            // Hourly points would all read "Mar 1, 2026" without their time of day.
            let timeOfDay = time.micros - Int64(time.date.daysSinceEpoch) * Timestamp.microsPerDay
            let text = TimeLabels.full(time.date, grain: grain)
            guard grain == .day, timeOfDay != 0 else { return text }
            return text + " " + Timestamp.timeOfDayText(micros: timeOfDay).prefix(5)
        }
    }

    init(_ value: WarehouseValue) {
        switch value {
        case .null: self = .null
        case .date(let days): self = .date(CivilDate(daysSinceEpoch: Int(days)))
        case .timestamp(let micros), .timestampTZ(let micros): self = .timestamp(Timestamp(micros: micros))
        case .text(let text), .decimal(let text): self = .category(text)
        default: self = .category(value.description)
        }
    }
}

/// One named measure across the x positions of a chart; nil marks a missing (NULL) value.
public struct ChartSeries: Sendable, Hashable {
    /// The series name, shown in the legend and written as `data-series`.
    public var name: String
    /// One value per x position; nil is a NULL and draws nothing.
    public var values: [Double?]

    public init(name: String, values: [Double?]) {
        self.name = name
        self.values = values
    }
}

/// What a chart shows, independent of where it came from: x positions, one or more series of
/// numbers aligned with them, and how those numbers read.
///
/// ```swift
/// let data = ChartData(
///     x: [.category("Jeans"), .category("Tops")],
///     series: [ChartSeries(name: "revenue", values: [1200, 950])],
///     format: .currency())
/// ```
public struct ChartData: Sendable, Hashable {
    /// Positions along the x axis, in drawing order.
    public var x: [ChartX]
    /// Series whose `values` line up with `x`; the initialiser pads or cuts them to `x.count`.
    public var series: [ChartSeries]
    /// How the values read in labels, ticks and tooltips.
    public var format: ValueFormat
    /// The grain of time x values; nil lets the chart infer it from the spacing of the dates.
    public var timeGrain: TimeGrain?
    /// The dimension the x values belong to, emitted as `data-dimension` for cross-filtering.
    public var dimension: String?
    /// Axis titles; nil draws none.
    public var xTitle: String?
    public var yTitle: String?

    /// Chart data from parts; series are padded with NULLs or cut to `x.count`, and non-finite
    /// values become NULL.
    public init(
        x: [ChartX], series: [ChartSeries], format: ValueFormat = .number, timeGrain: TimeGrain? = nil,
        dimension: String? = nil, xTitle: String? = nil, yTitle: String? = nil
    ) {
        self.x = x
        // Non-finite numbers cannot be drawn; treating them as missing keeps every mark valid.
        self.series = series.map { series in
            var values = Array(series.values.prefix(x.count)).map { $0.flatMap { $0.isFinite ? $0 : nil } }
            values += Array(repeating: nil, count: x.count - values.count)
            return ChartSeries(name: series.name, values: values)
        }
        self.format = format
        self.timeGrain = timeGrain
        self.dimension = dimension
        self.xTitle = xTitle
        self.yTitle = yTitle
    }

    /// Categories with one series, the shape of most bar charts and funnels.
    public init(categories: [String], values: [Double?], name: String = "value", format: ValueFormat = .number, dimension: String? = nil) {
        self.init(x: categories.map(ChartX.category), series: [ChartSeries(name: name, values: values)], format: format, dimension: dimension)
    }

    /// The data run through the initialiser again. Renderers draw from this, because `series` is
    /// a public var: values assigned after construction may not line up with `x`.
    var normalized: ChartData {
        ChartData(x: x, series: series, format: format, timeGrain: timeGrain, dimension: dimension, xTitle: xTitle, yTitle: yTitle)
    }

    /// True when there is nothing to draw: no x positions or not one non-NULL value.
    public var isEmpty: Bool { !series.contains { $0.values.contains { $0 != nil } } }

    /// True when every non-NULL x is a date or timestamp, so x is drawn as time.
    public var isTimeSeries: Bool {
        let present = x.filter { $0 != .null }
        return !present.isEmpty && present.allSatisfy { $0.days != nil }
    }

    /// The stated grain, or the one the spacing of the dates suggests.
    public var grain: TimeGrain { timeGrain ?? TimeLabels.inferGrain(x.compactMap(\.civilDate)) }

    /// All non-NULL values of all series.
    var allValues: [Double] { series.flatMap { $0.values.compactMap { $0 } } }
}
