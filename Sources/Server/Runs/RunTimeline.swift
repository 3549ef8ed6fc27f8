import Foundation

/// A shared time axis for bars drawn with CSS widths: the runs list (a bar per run) and the run
/// page (a bar per step attempt). Positions are percentages of the axis, so the bars scale with
/// the table; ticks fall on round instants (UTC).
struct RunTimeline {
    let start: Date
    let end: Date

    /// An axis covering every span, at least `minimumSeconds` long (a run of 40 ms still gets a
    /// readable axis rather than one a few milliseconds wide).
    init(spans: [(start: Date, end: Date)], minimumSeconds: Double = 1) {
        let first = spans.map(\.start).min() ?? Date(timeIntervalSince1970: 0)
        let last = max(spans.map(\.end).max() ?? first, first)
        start = first
        end = last.timeIntervalSince(first) < minimumSeconds ? first.addingTimeInterval(minimumSeconds) : last
    }

    var seconds: Double { end.timeIntervalSince(start) }

    /// Where an instant falls, 0…100.
    func percent(_ date: Date) -> Double {
        min(100, max(0, date.timeIntervalSince(start) / seconds * 100))
    }

    /// `left:…%;width:…%` for a bar from `from` to `to` (CSS keeps a minimum width, so an
    /// instant's bar still shows).
    func style(from: Date, to: Date) -> String {
        let left = percent(from)
        let width = max(0, percent(to) - left)
        return "left:\(Self.format(left))%;width:\(Self.format(width))%"
    }

    static let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600,
                                  43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000, 7_776_000, 31_536_000]

    /// Round instants on the axis, at most `count` of them, with labels as short as the step
    /// allows: `14:03:20`, `14:05`, `5 Dec 14:00`, `5 Dec`.
    func ticks(count: Int = 5) -> [(percent: Double, label: String)] {
        let step = Self.steps.first { seconds / $0 <= Double(count) } ?? Self.steps.last!
        var ticks: [(Double, String)] = []
        var instant = (start.timeIntervalSince1970 / step).rounded(.up) * step
        let multiDay = TimeText.day(start) != TimeText.day(end)
        while instant <= end.timeIntervalSince1970 + 1e-9 {
            let date = Date(timeIntervalSince1970: instant)
            let label: String
            if step < 1 {
                let tenth = Int((instant * 10).rounded()) % 10
                label = TimeText.clock(date) + (tenth == 0 ? "" : ".\(tenth)")
            } else if step < 60 {
                label = TimeText.clock(date)
            } else if step < 86_400 {
                label = multiDay ? Self.shortDay(date) + " " + TimeText.clock(date, withSeconds: false) : TimeText.clock(date, withSeconds: false)
            } else {
                label = Self.shortDay(date)
            }
            ticks.append((percent(date), label))
            instant += step
        }
        return ticks
    }

    /// The axis's tick labels, positioned like the bars, in UTC.
    func axisHTML() -> String {
        let ticks = ticks()
        var html = "<div class=\"axis\" aria-hidden=\"true\">"
        for tick in ticks {
            let edge = tick.percent < 8 ? " class=\"first\"" : tick.percent > 92 ? " class=\"last\"" : ""
            html += "<span\(edge) style=\"left:\(Self.format(tick.percent))%\">\(tick.label)</span>"
        }
        return html + "</div>"
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `5 Dec`.
    static func shortDay(_ date: Date) -> String {
        let parts = TimeText.day(date).split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]) else { return TimeText.day(date) }
        return "\(day) \(months[month - 1])"
    }

    static func format(_ percent: Double) -> String { String(format: "%.3f", percent) }
}
