import Foundation
import XCTest
@testable import Dashboards

/// The gallery page holds every chart kind on one page, for looking at in a real browser
/// (`chromium --headless --screenshot=… file:///tmp/storehouse-chart-gallery.html`).
final class GalleryTests: XCTestCase {
    func testGalleryPageIsWellFormedShowsEveryKindAndIsWrittenForTheBrowser() throws {
        let page = SampleCharts.galleryPage()
        let parsed = try ParsedMarkup(page)
        let kinds = Set(parsed.elements("svg").compactMap { $0.attr("data-chart") } + parsed.elements("table").compactMap { $0.attr("data-chart") })
        XCTAssertEqual(kinds, Set(ChartKind.allCases.map(\.rawValue)))
        // The hostile category name is on the page as text, and no script element exists.
        XCTAssertTrue(parsed.elements("script").isEmpty)
        XCTAssertFalse(parsed.marks.filter { $0.attr("data-x") == SampleCharts.hostileName }.isEmpty)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("storehouse-chart-gallery.html")
        try page.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), page)
    }
}
