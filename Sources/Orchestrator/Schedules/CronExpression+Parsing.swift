import Foundation

extension CronExpression {
    /// The macros and the expressions they stand for.
    public static let macros: KeyValuePairs<String, String> = [
        "@hourly": "0 * * * *",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *",
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
    ]

    /// Parses a cron expression.
    ///
    /// - Throws: `OrchestratorError` naming the field, what was found and what is allowed, e.g.
    ///   `cron "0 25 * * *": hour 25 is out of range 0-23`.
    public init(_ text: String) throws(OrchestratorError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var expanded = trimmed
        if trimmed.hasPrefix("@") {
            guard let body = CronExpression.macros.first(where: { $0.key == trimmed.lowercased() })?.value else {
                let allowed = CronExpression.macros.map(\.key).joined(separator: ", ")
                throw OrchestratorError("cron \"\(text)\": unknown macro '\(trimmed)' — allowed: \(allowed)")
            }
            expanded = body
        }
        let parts = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else {
            throw OrchestratorError(
                "cron \"\(text)\": expected 5 fields (minute hour day-of-month month day-of-week), found \(parts.count)",
                hint: "for example \"0 6 * * *\" runs at 06:00 every day")
        }
        func field(_ index: Int) throws(OrchestratorError) -> CronBits {
            do {
                return try CronField.all[index].parse(parts[index])
            } catch {
                throw OrchestratorError("cron \"\(text)\": \(error.message)")
            }
        }
        let minutes = try field(0)
        let hours = try field(1)
        let daysOfMonth = try field(2)
        let months = try field(3)
        let daysOfWeek = try field(4)
        self.init(source: trimmed, minutes: minutes, hours: hours, daysOfMonth: daysOfMonth, months: months,
                  daysOfWeek: daysOfWeek, dayOfMonthRestricted: !parts[2].hasPrefix("*"),
                  dayOfWeekRestricted: !parts[4].hasPrefix("*"))
        // Vixie cron accepts "0 0 30 2 *" and then never runs it; a schedule that silently never
        // fires is worse than an error.
        if !(dayOfMonthRestricted && dayOfWeekRestricted) {
            let possible = months.values.contains { month in
                daysOfMonth.values.contains { $0 <= CivilTime.daysInMonth(2000, month) }
            }
            if !possible {
                let monthNames = months.values.map { CronField.monthNames[$0 - 1] }.joined(separator: " or ")
                throw OrchestratorError(
                    "cron \"\(text)\": day-of-month \(parts[2]) never occurs in \(monthNames), so the schedule would never fire")
            }
        }
    }
}

/// How one of the five fields is spelled: its name, range and the names it accepts.
struct CronField: Sendable {
    struct Problem: Error { var message: String }

    let name: String
    let range: ClosedRange<Int>
    /// Names for values, upper-case, with the value of the first name.
    let names: [String]
    let firstNamedValue: Int

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    static let all: [CronField] = [
        CronField(name: "minute", range: 0...59, names: [], firstNamedValue: 0),
        CronField(name: "hour", range: 0...23, names: [], firstNamedValue: 0),
        CronField(name: "day-of-month", range: 1...31, names: [], firstNamedValue: 1),
        CronField(name: "month", range: 1...12,
                  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
                  firstNamedValue: 1),
        CronField(name: "day-of-week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
                  firstNamedValue: 0),
    ]

    private var isDayOfWeek: Bool { name == "day-of-week" }

    private var allowed: String {
        let numbers = "\(range.lowerBound)-\(range.upperBound)"
        guard let first = names.first, let last = names.last else { return numbers }
        return "\(numbers) or \(first)-\(last)"
    }

    func parse(_ text: String) throws(Problem) -> CronBits {
        var bits = CronBits(rawValue: 0)
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else { throw Problem(message: "\(name) field '\(text)' has an empty list item") }
            try add(item, to: &bits)
        }
        // 7 is another name for Sunday.
        if isDayOfWeek && bits.contains(7) {
            bits.rawValue &= ~(1 << 7)
            bits.insert(0)
        }
        return bits
    }

    private func add(_ item: String, to bits: inout CronBits) throws(Problem) {
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count <= 2 else { throw Problem(message: "\(name) '\(item)' has more than one '/'") }
        var step = 1
        if pieces.count == 2 {
            guard let n = Int(pieces[1]), n >= 1 else {
                throw Problem(message: "\(name) step '\(pieces[1])' in '\(item)' must be a whole number of at least 1")
            }
            step = n
        }
        let base = pieces[0]
        let low: Int, high: Int
        if base == "*" {
            (low, high) = (range.lowerBound, isDayOfWeek ? 6 : range.upperBound)
        } else if let dash = base.firstIndex(of: "-") {
            low = try value(String(base[..<dash]))
            var end = try value(String(base[base.index(after: dash)...]))
            // FRI-SUN: Sunday at the end of a weekday range is 7.
            if isDayOfWeek && end == 0 && low > 0 { end = 7 }
            guard low <= end else {
                throw Problem(message: "\(name) range \(base) runs backwards; cron ranges do not wrap, write \(base.split(separator: "-")[0])-\(range.upperBound),\(range.lowerBound)-\(base.split(separator: "-").last ?? "")")
            }
            high = end
        } else {
            low = try value(base)
            // "5/15" means from 5 to the end of the range in steps of 15.
            high = pieces.count == 2 ? range.upperBound : low
        }
        var v = low
        while v <= high {
            bits.insert(v)
            v += step
        }
    }

    private func value(_ text: String) throws(Problem) -> Int {
        if let n = Int(text) {
            guard range.contains(n) else { throw Problem(message: "\(name) \(n) is out of range \(range.lowerBound)-\(range.upperBound)") }
            return n
        }
        if let index = names.firstIndex(of: text.uppercased()) { return firstNamedValue + index }
        if names.isEmpty {
            throw Problem(message: "\(name) '\(text)' is not a number — allowed: \(allowed)")
        }
        throw Problem(message: "\(name) '\(text)' is not a number or a name — allowed: \(allowed)")
    }
}
