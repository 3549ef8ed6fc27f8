import Foundation
import Templating
import WarehouseKit

/// `modules.datetime` and `modules.pytz` as Python's, for the macros of dbt packages (dbt-date):
/// dates, datetimes (naive or with a time zone), timedeltas with their arithmetic and ordering,
/// `strftime`/`strptime`, ISO forms, and pytz's `timezone(…)`, `utc` and `localize`.
enum PythonDatetime {
    static let secondsPerDay = 86_400.0

    static var module: Value {
        let datetimeClass = HostObject(name: "datetime", members: [
            "now": .function(NativeFunction(name: "now") { args in now(tz: zone(args.arg(0, "tz"))) }),
            "utcnow": .function(NativeFunction(name: "utcnow") { _ in now(tz: nil) }),
            "today": .function(NativeFunction(name: "today") { _ in now(tz: nil) }),
            "strptime": .function(NativeFunction(name: "strptime") { args in
                try strptime(try args.string(0, "date_string", of: "strptime"), try args.string(1, "format", of: "strptime"))
            }),
            "fromisoformat": .function(NativeFunction(name: "fromisoformat") { args in
                try fromISO(try args.string(0, "date_string", of: "fromisoformat"))
            }),
            "fromtimestamp": .function(NativeFunction(name: "fromtimestamp") { args in
                let seconds = args.arg(0, "timestamp")?.doubleValue ?? 0
                guard let tz = zone(args.arg(1, "tz")) else { return .object(PyDateTime(wall: seconds, tz: nil)) }
                return .object(PyDateTime(wall: seconds + Double(tz.zone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))), tz: tz))
            }),
        ]) { args in
            func part(_ i: Int, _ name: String, _ fallback: Int) -> Int { (args.positional.count > i ? args.positional[i] : args.keyword(name))?.intValue ?? fallback }
            let days = try dayNumber(part(0, "year", 1970), part(1, "month", 1), part(2, "day", 1))
            let wall = Double(days) * secondsPerDay + Double(part(3, "hour", 0) * 3600 + part(4, "minute", 0) * 60 + part(5, "second", 0))
                + Double(part(6, "microsecond", 0)) / 1_000_000
            return .object(PyDateTime(wall: wall, tz: zone(args.positional.count > 7 ? args.positional[7] : args.keyword("tzinfo"))))
        }
        let dateClass = HostObject(name: "date", members: [
            "today": .function(NativeFunction(name: "today") { _ in
                .object(PyDate(days: Int((Date().timeIntervalSince1970 / secondsPerDay).rounded(.down))))
            }),
            "fromisoformat": .function(NativeFunction(name: "fromisoformat") { args in
                let text = try args.string(0, "date_string", of: "fromisoformat")
                guard case .object(let dt as PyDateTime) = try fromISO(text) else { return .none }
                return .object(PyDate(days: dt.dayNumber))
            }),
        ]) { args in
            func part(_ i: Int, _ name: String) -> Int { (args.positional.count > i ? args.positional[i] : args.keyword(name))?.intValue ?? 1 }
            return .object(PyDate(days: try dayNumber(part(0, "year"), part(1, "month"), part(2, "day"))))
        }
        return .object(HostObject(name: "datetime", members: [
            "datetime": .object(datetimeClass), "date": .object(dateClass),
            "timedelta": .function(NativeFunction(name: "timedelta") { args in
                let names = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"]
                let scale: [Double] = [secondsPerDay, 1, 1e-6, 1e-3, 60, 3600, 7 * secondsPerDay]
                var seconds = 0.0
                for (i, name) in names.enumerated() {
                    if let v = (args.positional.count > i ? args.positional[i] : args.keyword(name))?.doubleValue { seconds += v * scale[i] }
                }
                return .object(PyTimeDelta(seconds: seconds))
            }),
        ]))
    }

    static var pytz: Value {
        .object(HostObject(name: "pytz", members: [
            "timezone": .function(NativeFunction(name: "timezone") { args in
                let name = try args.string(0, "zone", of: "pytz.timezone")
                guard let tz = TimeZone(identifier: name) else { throw TemplateError.raised("UnknownTimeZoneError: '\(name)'") }
                return .object(PyTimeZone(name: name, zone: tz))
            }),
            "utc": .object(PyTimeZone.utc), "UTC": .object(PyTimeZone.utc),
        ]))
    }

    static func zone(_ value: Value?) -> PyTimeZone? {
        if case .object(let tz as PyTimeZone)? = value { return tz }
        return nil
    }

    static func now(tz: PyTimeZone?) -> Value {
        let instant = Date().timeIntervalSince1970
        return .object(PyDateTime(wall: instant + Double(tz?.zone.secondsFromGMT(for: Date()) ?? 0), tz: tz))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date; an error for an impossible one.
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) throws -> Int {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else {
            throw TemplateError.raised("ValueError: day is out of range for month (\(year)-\(month)-\(day))")
        }
        return CivilDate(year: year, month: month, day: day).daysSinceEpoch
    }

    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let date = CivilDate(daysSinceEpoch: days)
        return (date.year, date.month, date.day)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Python's `strftime` directives over wall-clock parts.
    static func strftime(_ format: String, wall: Double, tz: PyTimeZone?) -> String {
        let days = Int((wall / secondsPerDay).rounded(.down))
        let (y, m, d) = civil(days)
        let secondsOfDay = wall - Double(days) * secondsPerDay
        let whole = Int(secondsOfDay.rounded(.down))
        let micro = Int(((secondsOfDay - Double(whole)) * 1_000_000).rounded())
        let weekday = ((days % 7) + 7 + 3) % 7   // 1970-01-01 was a Thursday (Monday = 0)
        var out = ""
        var chars = Array(format)[...]
        while let c = chars.popFirst() {
            guard c == "%", let directive = chars.popFirst() else { out.append(c); continue }
            switch directive {
            case "Y": out += String(format: "%04d", y)
            case "y": out += String(format: "%02d", y % 100)
            case "m": out += String(format: "%02d", m)
            case "d": out += String(format: "%02d", d)
            case "H": out += String(format: "%02d", whole / 3600)
            case "I": out += String(format: "%02d", (whole / 3600 + 11) % 12 + 1)
            case "p": out += whole / 3600 < 12 ? "AM" : "PM"
            case "M": out += String(format: "%02d", whole / 60 % 60)
            case "S": out += String(format: "%02d", whole % 60)
            case "f": out += String(format: "%06d", micro)
            case "B": out += monthNames[m - 1]
            case "b", "h": out += String(monthNames[m - 1].prefix(3))
            case "A": out += dayNames[weekday]
            case "a": out += String(dayNames[weekday].prefix(3))
            case "w": out += String((weekday + 1) % 7)
            case "u": out += String(weekday + 1)
            case "j": out += String(format: "%03d", days - (try! dayNumber(y, 1, 1)) + 1)
            case "z": out += tz.map { offsetText($0.zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall)), colon: false) } ?? ""
            case "Z": out += tz.map { $0.abbreviation(at: wall) } ?? ""
            case "%": out += "%"
            default: out += "%" + String(directive)
            }
        }
        return out
    }

    static func offsetText(_ seconds: Int, colon: Bool) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return sign + String(format: colon ? "%02d:%02d" : "%02d%02d", a / 3600, a / 60 % 60)
    }

    /// Python's `strptime` for the numeric and name directives (`%Y %m %d %H %M %S %f %y %b %B %j %z`).
    static func strptime(_ text: String, _ format: String) throws -> Value {
        var s = Array(text)[...]
        var f = Array(format)[...]
        var year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0
        var offset: Int?
        func fail() -> TemplateError { TemplateError.raised("ValueError: time data '\(text)' does not match format '\(format)'") }
        func number(_ maxDigits: Int) throws -> Int {
            var digits = ""
            while digits.count < maxDigits, let c = s.first, c.isNumber { digits.append(s.removeFirst()) }
            guard let n = Int(digits) else { throw fail() }
            return n
        }
        while let c = f.popFirst() {
            if c == "%", let directive = f.popFirst() {
                switch directive {
                case "Y": year = try number(4)
                case "y": let v = try number(2); year = v < 69 ? 2000 + v : 1900 + v
                case "m": month = try number(2)
                case "d": day = try number(2)
                case "H": hour = try number(2)
                case "M": minute = try number(2)
                case "S": second = try number(2)
                case "f": var digits = ""; while digits.count < 6, let c = s.first, c.isNumber { digits.append(s.removeFirst()) }
                    micro = Int(digits.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
                case "b", "B":
                    guard let index = monthNames.firstIndex(where: { name in
                        let candidate = directive == "B" ? name : String(name.prefix(3))
                        return String(s.prefix(candidate.count)).lowercased() == candidate.lowercased()
                    }) else { throw fail() }
                    s = s.dropFirst(directive == "B" ? monthNames[index].count : 3)
                    month = index + 1
                case "j": let n = try number(3); let start = try dayNumber(year, 1, 1); (year, month, day) = civil(start + n - 1)
                case "z":
                    guard let sign = s.popFirst(), sign == "+" || sign == "-" else { throw fail() }
                    let h = try number(2); if s.first == ":" { s.removeFirst() }; let mi = try number(2)
                    offset = (sign == "-" ? -1 : 1) * (h * 3600 + mi * 60)
                case "%": guard s.popFirst() == "%" else { throw fail() }
                default: throw TemplateError.raised("strptime: the directive %\(directive) is not supported here")
                }
            } else {
                guard s.popFirst() == c else { throw fail() }
            }
        }
        guard s.isEmpty else { throw TemplateError.raised("ValueError: unconverted data remains: \(String(s))") }
        let wall = Double(try dayNumber(year, month, day)) * secondsPerDay + Double(hour * 3600 + minute * 60 + second) + Double(micro) / 1e6
        return .object(PyDateTime(wall: wall, tz: offset.map { PyTimeZone.fixed($0) }))
    }

    /// `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|±HH:MM]`, as Python 3.11's `fromisoformat`.
    static func fromISO(_ text: String) throws -> Value {
        var body = text.trimmingCharacters(in: .whitespaces)
        var tz: PyTimeZone?
        if body.hasSuffix("Z") { body.removeLast(); tz = .utc }
        else if body.count > 10, let signIndex = body.lastIndex(where: { $0 == "+" || $0 == "-" }), body.distance(from: body.startIndex, to: signIndex) > 10 {
            let zonePart = String(body[signIndex...])
            body = String(body[..<signIndex])
            guard case .object(let parsed as PyDateTime) = try strptime("2000-01-01" + zonePart, "%Y-%m-%d%z") else { throw TemplateError.raised("Invalid isoformat string: '\(text)'") }
            tz = parsed.tz
        }
        let formats = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f"]
        for format in formats {
            if case .object(let parsed as PyDateTime)? = try? strptime(body, format) { return .object(PyDateTime(wall: parsed.wall, tz: tz)) }
        }
        throw TemplateError.raised("ValueError: Invalid isoformat string: '\(text)'")
    }
}

/// pytz's time zone: `str()` is its name, `localize(naive)` attaches it to the same wall time.
final class PyTimeZone: TemplateObject, @unchecked Sendable {
    let name: String
    let zone: TimeZone

    init(name: String, zone: TimeZone) { self.name = name; self.zone = zone }

    static let utc = PyTimeZone(name: "UTC", zone: TimeZone(identifier: "UTC")!)
    static func fixed(_ seconds: Int) -> PyTimeZone {
        seconds == 0 ? utc : PyTimeZone(name: "UTC" + PythonDatetime.offsetText(seconds, colon: true), zone: TimeZone(secondsFromGMT: seconds)!)
    }

    func abbreviation(at wall: Double) -> String { zone.abbreviation(for: Date(timeIntervalSince1970: wall)) ?? name }

    /// The offset that applies at a wall-clock time in this zone.
    func offset(atWall wall: Double) -> Int {
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall))
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - Double(guess)))
    }

    var renderedString: String { name }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "zone": return .string(self.name)
        case "localize":
            return .function(NativeFunction(name: "localize") { [self] args in
                guard case .object(let dt as PyDateTime)? = args.arg(0, "dt") else { throw TemplateError.raised("localize needs a datetime") }
                return .object(PyDateTime(wall: dt.wall, tz: self))
            })
        default: return nil
        }
    }
}

/// Python's `datetime.date`.
final class PyDate: TemplateArithmetic, @unchecked Sendable {
    let days: Int
    init(days: Int) { self.days = days }

    var parts: (year: Int, month: Int, day: Int) { PythonDatetime.civil(days) }
    var renderedString: String { String(format: "%04d-%02d-%02d", parts.year, parts.month, parts.day) }
    var orderingKey: Double { Double(days) }

    func combine(adding: Bool, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        if case .object(let delta as PyTimeDelta) = other {
            let shift = Int((delta.seconds / PythonDatetime.secondsPerDay).rounded(.down))
            return selfOnLeft || adding ? .object(PyDate(days: days + (adding ? shift : -shift))) : nil
        }
        if !adding, case .object(let date as PyDate) = other {
            return .object(PyTimeDelta(seconds: Double(selfOnLeft ? days - date.days : date.days - days) * PythonDatetime.secondsPerDay))
        }
        return nil
    }

    func attribute(_ name: String) -> Value? {
        let (y, m, d) = parts
        switch name {
        case "year": return .int(y)
        case "month": return .int(m)
        case "day": return .int(d)
        case "isoformat": return .function(NativeFunction(name: "isoformat") { [self] _ in .string(renderedString) })
        case "weekday": return .function(NativeFunction(name: "weekday") { [self] _ in .int(((days % 7) + 7 + 3) % 7) })
        case "isoweekday": return .function(NativeFunction(name: "isoweekday") { [self] _ in .int(((days % 7) + 7 + 3) % 7 + 1) })
        case "strftime":
            return .function(NativeFunction(name: "strftime") { [self] args in
                .string(PythonDatetime.strftime(try args.string(0, "format", of: "strftime"), wall: Double(days) * PythonDatetime.secondsPerDay, tz: nil))
            })
        case "replace":
            return .function(NativeFunction(name: "replace") { args in
                .object(PyDate(days: try PythonDatetime.dayNumber(args.keyword("year")?.intValue ?? y, args.keyword("month")?.intValue ?? m,
                                                                  args.keyword("day")?.intValue ?? d)))
            })
        default: return nil
        }
    }
}

/// Python's `datetime.datetime`: a wall-clock time (seconds since 1970 as if UTC) and, when
/// aware, its time zone.
final class PyDateTime: TemplateArithmetic, @unchecked Sendable {
    let wall: Double
    let tz: PyTimeZone?

    init(wall: Double, tz: PyTimeZone?) { self.wall = wall; self.tz = tz }

    var dayNumber: Int { Int((wall / PythonDatetime.secondsPerDay).rounded(.down)) }
    /// Seconds since 1970 UTC for an aware datetime; the wall time for a naive one.
    var instant: Double { tz.map { wall - Double($0.offset(atWall: wall)) } ?? wall }
    var orderingKey: Double { instant }

    func text(separator: String) -> String {
        let micro = Int(((wall - wall.rounded(.down)) * 1_000_000).rounded())
        var out = PythonDatetime.strftime("%Y-%m-%d" + separator + "%H:%M:%S", wall: wall, tz: tz)
        if micro > 0 { out += String(format: ".%06d", micro) }
        if let tz { out += PythonDatetime.offsetText(tz.offset(atWall: wall), colon: true) }
        return out
    }

    var renderedString: String { text(separator: " ") }

    func combine(adding: Bool, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        if case .object(let delta as PyTimeDelta) = other {
            guard selfOnLeft || adding else { return nil }
            return .object(PyDateTime(wall: wall + (adding ? delta.seconds : -delta.seconds), tz: tz))
        }
        if !adding, case .object(let other as PyDateTime) = other {
            guard (tz == nil) == (other.tz == nil) else { throw TemplateError.raised("TypeError: can't subtract offset-naive and offset-aware datetimes") }
            return .object(PyTimeDelta(seconds: selfOnLeft ? instant - other.instant : other.instant - instant))
        }
        return nil
    }

    func attribute(_ name: String) -> Value? {
        let days = dayNumber
        let (y, m, d) = PythonDatetime.civil(days)
        let secondsOfDay = wall - Double(days) * PythonDatetime.secondsPerDay
        let whole = Int(secondsOfDay.rounded(.down))
        switch name {
        case "year": return .int(y)
        case "month": return .int(m)
        case "day": return .int(d)
        case "hour": return .int(whole / 3600)
        case "minute": return .int(whole / 60 % 60)
        case "second": return .int(whole % 60)
        case "microsecond": return .int(Int(((secondsOfDay - Double(whole)) * 1_000_000).rounded()))
        case "tzinfo": return tz.map { .object($0) } ?? .none
        case "date": return .function(NativeFunction(name: "date") { _ in .object(PyDate(days: days)) })
        case "isoformat":
            return .function(NativeFunction(name: "isoformat") { [self] args in .string(text(separator: args.arg(0, "sep")?.renderedString ?? "T")) })
        case "timestamp": return .function(NativeFunction(name: "timestamp") { [self] _ in .double(instant) })
        case "weekday": return .function(NativeFunction(name: "weekday") { _ in .int(((days % 7) + 7 + 3) % 7) })
        case "isoweekday": return .function(NativeFunction(name: "isoweekday") { _ in .int(((days % 7) + 7 + 3) % 7 + 1) })
        case "strftime":
            return .function(NativeFunction(name: "strftime") { [self] args in
                .string(PythonDatetime.strftime(try args.string(0, "format", of: "strftime"), wall: wall, tz: tz))
            })
        case "astimezone":
            return .function(NativeFunction(name: "astimezone") { [self] args in
                let target = PythonDatetime.zone(args.arg(0, "tz")) ?? .utc
                let moment = instant
                return .object(PyDateTime(wall: moment + Double(target.zone.secondsFromGMT(for: Date(timeIntervalSince1970: moment))), tz: target))
            })
        case "replace":
            return .function(NativeFunction(name: "replace") { [self] args in
                func part(_ key: String, _ current: Int) -> Int { args.keyword(key)?.intValue ?? current }
                let newDays = try PythonDatetime.dayNumber(part("year", y), part("month", m), part("day", d))
                let seconds = part("hour", whole / 3600) * 3600 + part("minute", whole / 60 % 60) * 60 + part("second", whole % 60)
                let micro = Double(part("microsecond", Int(((secondsOfDay - Double(whole)) * 1_000_000).rounded()))) / 1e6
                let newZone: PyTimeZone? = args.keyword("tzinfo").map { PythonDatetime.zone($0) } ?? tz
                return .object(PyDateTime(wall: Double(newDays) * PythonDatetime.secondsPerDay + Double(seconds) + micro, tz: newZone))
            })
        default: return nil
        }
    }
}

/// Python's `datetime.timedelta`.
final class PyTimeDelta: TemplateArithmetic, @unchecked Sendable {
    let seconds: Double
    init(seconds: Double) { self.seconds = seconds }

    var orderingKey: Double { seconds }

    var renderedString: String {
        let days = Int((seconds / PythonDatetime.secondsPerDay).rounded(.down))
        let rest = seconds - Double(days) * PythonDatetime.secondsPerDay
        let whole = Int(rest.rounded(.down))
        let micro = Int(((rest - Double(whole)) * 1_000_000).rounded())
        var out = days == 0 ? "" : "\(days) day\(abs(days) == 1 ? "" : "s"), "
        out += String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
        if micro > 0 { out += String(format: ".%06d", micro) }
        return out
    }

    func combine(adding: Bool, _ other: Value, selfOnLeft: Bool) throws -> Value? {
        guard case .object(let delta as PyTimeDelta) = other else { return nil }
        let value = adding ? seconds + delta.seconds : (selfOnLeft ? seconds - delta.seconds : delta.seconds - seconds)
        return .object(PyTimeDelta(seconds: value))
    }

    func attribute(_ name: String) -> Value? {
        let days = Int((seconds / PythonDatetime.secondsPerDay).rounded(.down))
        switch name {
        case "days": return .int(days)
        case "seconds": return .int(Int((seconds - Double(days) * PythonDatetime.secondsPerDay).rounded(.down)))
        case "total_seconds": return .function(NativeFunction(name: "total_seconds") { [self] _ in .double(seconds) })
        default: return nil
        }
    }
}
