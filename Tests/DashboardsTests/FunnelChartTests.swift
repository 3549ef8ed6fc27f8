import WarehouseKit
import XCTest
@testable import Dashboards

final class FunnelChartTests: XCTestCase {
    func testStagesCountsAndStepConversion() throws {
        let parsed = try ParsedMarkup(SampleCharts.funnel.render())
        XCTAssertEqual(parsed.root.attr("data-chart"), "funnel")
        XCTAssertEqual(parsed.marks.map { $0.attr("data-x") }, ["Sessions", "Viewed a product", "Added to cart", "Checked out", "Purchased"],
                       "the stage with a NULL count is left out")
        XCTAssertEqual(parsed.marks.map { $0.attr("data-dimension") }, Array(repeating: "funnel_stage", count: 5))
        XCTAssertEqual(parsed.texts(withClass: "value-label"), ["128,400", "71,950", "18,230", "6,870", "4,115"])
        XCTAssertEqual(parsed.texts(withClass: "conversion"), [
            "step 56% · overall 56%", "step 25.3% · overall 14.2%", "step 37.7% · overall 5.4%", "step 59.9% · overall 3.2%",
        ])
        XCTAssertNil(parsed.marks[0].attr("data-step-conversion"))
        XCTAssertEqual(try XCTUnwrap(parsed.marks[2].double("data-step-conversion")), 18_230.0 / 71_950, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(parsed.marks[3].double("data-step-conversion")), 6_870.0 / 18_230, accuracy: 1e-12,
                       "converts from the last stage shown")
        let widths = parsed.marks.map { $0.double("width")! }
        XCTAssertEqual(widths, widths.sorted(by: >))
        XCTAssertEqual(widths[1] / widths[0], 71_950.0 / 128_400, accuracy: 0.001)
        XCTAssertEqual(parsed.marks[1].tooltip, "Viewed a product: 71,950, 56% of previous stage, 56% of first stage")
    }

    func testNoStagesIsEmptyAndZeroStagesDoNotDivideByZero() throws {
        XCTAssertEqual(try ParsedMarkup(FunnelChart(stages: []).render()).root.attr("data-empty"), "true")
        let zeros = try ParsedMarkup(FunnelChart(stages: [("a", 0), ("b", 0)]).render())
        XCTAssertEqual(zeros.texts(withClass: "conversion"), ["step — · overall —"])
    }
}
