import Foundation
import XCTest
@testable import TransformProject

/// `modules.re` and `set()` as Python's: each expected value is what CPython 3.11 printed for the
/// same call.
final class PythonModulesTests: XCTestCase {
    func render(_ expression: String) throws -> String {
        let dir = NSTemporaryDirectory() + "storehouse-modules-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/models", withIntermediateDirectories: true)
        try "name: modx\nprofile: modx\nconfig-version: 2\n".write(toFile: dir + "/dbt_project.yml", atomically: true, encoding: .utf8)
        try "modx:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n".write(toFile: dir + "/profiles.yml", atomically: true, encoding: .utf8)
        try "{{ \(expression) }}".write(toFile: dir + "/models/m.sql", atomically: true, encoding: .utf8)
        let project = try ProjectLoader.load(LoadOptions(projectDir: dir, environment: [:], homeDirectory: "/nonexistent"))
        return try Compiler(project: project, host: OfflineHost(dialect: project.dialect)).compile("model.modx.m").sql
    }

    func testRegularExpressionsBehaveAsPythonsRe() throws {
        XCTAssertEqual(try render(#"modules.re.sub("(\\w+)@(\\w+)", "\\2 at \\1", "ann@shop bob@store")"#), "shop at ann store at bob")
        XCTAssertEqual(try render(#"modules.re.match("(\\d+)-(\\d+)", "12-34 rest").group(2)"#), "34")
        XCTAssertEqual(try render(#"modules.re.findall("\\d+", "a1b22c333")"#), "['1', '22', '333']")
        XCTAssertEqual(try render(#"modules.re.split("[,;]\\s*", "a, b;c")"#), "['a', 'b', 'c']")
        XCTAssertEqual(try render(#"modules.re.compile("ORDER", modules.re.IGNORECASE).sub("x", "order Order")"#), "x x")
        XCTAssertEqual(try render(#"modules.re.search("z", "abc")"#), "None")
        XCTAssertEqual(try render(#"modules.re.sub("o", "0", "foo boo", count=2)"#), "f00 boo")
        XCTAssertEqual(try render(#"modules.re.sub("(?P<word>[a-z]+)", "<\\g<word>>", "ab 12")"#), "<ab> 12")
    }

    func testSetsCompareWithoutOrderAndCombine() throws {
        XCTAssertEqual(try render("set([3, 1, 3, 2]) | list"), "[1, 2, 3]")
        XCTAssertEqual(try render("set([1, 2]) == set([2, 1])"), "True")
        XCTAssertEqual(try render("set([1, 2]).union([3]) | list"), "[1, 2, 3]")
        XCTAssertEqual(try render("set([1, 2, 3]).difference([2]) | list"), "[1, 3]")
        XCTAssertEqual(try render("none | map('lower') | list"), "[]")
        // Sets print as Python's: braces, `set()` when empty (items in value order: Python's own
        // order follows hashes, which for strings change from run to run).
        XCTAssertEqual(try render("set([10, 2, 2])"), "{2, 10}")
        XCTAssertEqual(try render("set()"), "set()")
        XCTAssertEqual(try render("set(['a'])"), "{'a'}")
        XCTAssertEqual(try render("set([1]) is iterable and 1 in set([1])"), "True")
    }

    func testDatesDatetimesAndTimeZonesBehaveAsPythons() throws {
        let dt = "modules.datetime"
        XCTAssertEqual(try render("\(dt).datetime(2024, 3, 10, 12, 0, tzinfo=modules.pytz.utc).astimezone(modules.pytz.timezone('America/New_York'))"),
                       "2024-03-10 08:00:00-04:00")
        XCTAssertEqual(try render("(\(dt).datetime(2024, 1, 2) - \(dt).datetime(2024, 1, 1, 12)).total_seconds()"), "43200.0")
        XCTAssertEqual(try render("\(dt).timedelta(days=1, hours=2) ~ ' ' ~ \(dt).timedelta(minutes=90)"), "1 day, 2:00:00 1:30:00")
        XCTAssertEqual(try render("\(dt).datetime.fromisoformat('2024-05-06T07:08:09+02:00').isoformat()"), "2024-05-06T07:08:09+02:00")
        XCTAssertEqual(try render("modules.pytz.timezone('Europe/Amsterdam').localize(\(dt).datetime(2024, 7, 1, 9)).strftime('%Y-%m-%d %H:%M %z')"),
                       "2024-07-01 09:00 +0200")
        XCTAssertEqual(try render("(\(dt).date(2024, 2, 28) + \(dt).timedelta(days=2)) ~ ' ' ~ (\(dt).date(2024, 1, 1) < \(dt).date(2024, 1, 2))"),
                       "2024-03-01 True")
        XCTAssertEqual(try render("\(dt).datetime.strptime('03/Feb/2024 10:11', '%d/%b/%Y %H:%M') ~ ' ' ~ \(dt).date(2024, 1, 7).strftime('%A %a %B %j %w')"),
                       "2024-02-03 10:11:00 Sunday Sun January 007 0")
        XCTAssertThrowsError(try render("\(dt).date(2023, 2, 29)"))
    }
}
