import XCTest
@testable import Dashboards

final class FormatTests: XCTestCase {
    func testCompactNumbersUseOneDecimalAndAUnit() {
        let f = ValueFormat.number
        XCTAssertEqual(f.compact(1234), "1.2k")
        XCTAssertEqual(f.compact(1000), "1k")
        XCTAssertEqual(f.compact(12_345), "12.3k")
        XCTAssertEqual(f.compact(3_400_000), "3.4M")
        XCTAssertEqual(f.compact(2_500_000_000), "2.5B")
        XCTAssertEqual(f.compact(7.1e12), "7.1T")
        XCTAssertEqual(f.compact(999), "999")
        XCTAssertEqual(f.compact(3.14159), "3.14")
        XCTAssertEqual(f.compact(42.25), "42.3")
        XCTAssertEqual(f.compact(0), "0")
        XCTAssertEqual(f.compact(-1234), "-1.2k")
    }

    func testRoundingUpCarriesIntoTheNextUnit() {
        XCTAssertEqual(ValueFormat.number.compact(999.7), "1k")
        XCTAssertEqual(ValueFormat.number.compact(999_950), "1M")
        XCTAssertEqual(ValueFormat.number.compact(999_949), "999.9k")
    }

    func testValuesThatRoundToZeroHaveNoMinus() {
        XCTAssertEqual(ValueFormat.number.compact(-0.001), "0")
        XCTAssertEqual(ValueFormat.currency().full(-0.004), "$0.00")
        XCTAssertEqual(ValueFormat.percent.compact(-0.00001), "0%")
    }

    func testPercentages() {
        XCTAssertEqual(ValueFormat.percent.compact(0.125), "12.5%")
        XCTAssertEqual(ValueFormat.percent.compact(0.5), "50%")
        XCTAssertEqual(ValueFormat.percent.compact(1), "100%")
        XCTAssertEqual(ValueFormat.percent.compact(0.0012), "0.12%")
        XCTAssertEqual(ValueFormat.percent.compact(-0.034), "-3.4%")
        XCTAssertEqual(ValueFormat.percent.full(0.12345), "12.35%")
        XCTAssertEqual(ValueFormat.percent.full(12.5), "1,250%")
    }

    func testCurrency() {
        let usd = ValueFormat.currency()
        XCTAssertEqual(usd.compact(12_345), "$12.3k")
        XCTAssertEqual(usd.compact(-1234.5), "-$1.2k")
        XCTAssertEqual(usd.full(-1234.5), "-$1,234.50")
        XCTAssertEqual(usd.full(1_250_000.75), "$1,250,000.75")
        XCTAssertEqual(usd.compact(9.99), "$9.99")
        XCTAssertEqual(usd.compact(950), "$950")
        XCTAssertEqual(usd.compact(120.4), "$120")
        XCTAssertEqual(ValueFormat.currency(code: "EUR").compact(3_400_000), "€3.4M")
        XCTAssertEqual(ValueFormat.currency(code: "JPY").full(1234.4), "¥1,234")
        XCTAssertEqual(ValueFormat.currency(code: "CHF").full(5), "CHF 5.00")
    }

    func testIntegersAndDurations() {
        XCTAssertEqual(ValueFormat.integer.full(1_234_567.6), "1,234,568")
        XCTAssertEqual(ValueFormat.integer.compact(999.6), "1k")
        XCTAssertEqual(ValueFormat.number.full(1234.5678), "1,234.57")
        XCTAssertEqual(ValueFormat.durationDays.full(3.46), "3.5 days")
        XCTAssertEqual(ValueFormat.durationDays.full(1), "1 day")
        XCTAssertEqual(ValueFormat.durationDays.compact(3.46), "3.5d")
        XCTAssertEqual(ValueFormat.durationHours.full(12), "12 hours")
        XCTAssertEqual(ValueFormat.durationHours.compact(-1.5), "-1.5h")
    }

    func testNonFiniteValuesDoNotCrash() {
        XCTAssertEqual(ValueFormat.number.compact(.nan), "NaN")
        XCTAssertEqual(ValueFormat.currency().full(-.infinity), "-∞")
        XCTAssertEqual(ValueFormat.number.full(1e300), "1e+300")
    }

    func testTickLabelsShareOnePrecisionAndUnit() {
        XCTAssertEqual(ValueFormat.number.tickLabels([0, 2500, 5000, 7500, 10000]), ["0", "2.5k", "5k", "7.5k", "10k"])
        XCTAssertEqual(ValueFormat.number.tickLabels([0, 250, 500, 750, 1000, 1250]), ["0", "250", "500", "750", "1,000", "1,250"])
        XCTAssertEqual(ValueFormat.currency().tickLabels([0, 500_000, 1_000_000, 1_500_000]), ["$0", "$0.5M", "$1M", "$1.5M"])
        XCTAssertEqual(ValueFormat.currency().tickLabels([-20_000, 0, 20_000]), ["-$20k", "$0", "$20k"])
        XCTAssertEqual(ValueFormat.currency().tickLabels([0, 0.5, 1, 1.5]), ["$0", "$0.50", "$1.00", "$1.50"])
        XCTAssertEqual(ValueFormat.percent.tickLabels([-0.2, 0, 0.2, 0.4]), ["-20%", "0%", "20%", "40%"])
        XCTAssertEqual(ValueFormat.percent.tickLabels([0, 0.025, 0.05]), ["0%", "2.5%", "5%"])
        XCTAssertEqual(ValueFormat.number.tickLabels([0, 0.1, 0.2, 0.3]), ["0", "0.1", "0.2", "0.3"])
        XCTAssertEqual(ValueFormat.durationDays.tickLabels([0, 2, 4]), ["0d", "2d", "4d"])
        // Neighbouring ticks never collapse into the same text.
        let ticks = LinearScale(covering: [1_000_000, 1_080_000], includeZero: false).ticks
        let labels = ValueFormat.number.tickLabels(ticks)
        XCTAssertEqual(Set(labels).count, labels.count, "\(labels)")
    }
}
