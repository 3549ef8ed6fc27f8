import TransformRuntime
import XCTest

/// `build` orders a node after the tests of what it is built from — dbt's rule: a test gates a
/// node only when every node the test depends on is upstream of it.
final class BuildTestGatingTests: XCTestCase {
    //   customers ──► rfm ──► rfm_report
    //       │   └───────────► order_facts ◄── orders
    //       └ test not_null_customers            └ test relationships(orders → customers)
    let parents: [String: Set<String>] = [
        "customers": [], "orders": [],
        "rfm": ["customers"], "rfm_report": ["rfm"],
        "order_facts": ["orders", "customers"],
        "test.not_null_customers": ["customers"],
        "test.relationships_orders_customers": ["orders", "customers"],
        "test.unique_rfm": ["rfm"],
    ]

    func gated() -> [String: Set<String>] {
        BuildTestGating.edges(parents: parents) { $0.hasPrefix("test.") }
    }

    func testATestOnOneModelGatesEveryDescendant() {
        let edges = gated()
        XCTAssertTrue(edges["rfm"]!.contains("test.not_null_customers"))
        XCTAssertTrue(edges["rfm_report"]!.contains("test.not_null_customers"))
        XCTAssertTrue(edges["order_facts"]!.contains("test.not_null_customers"))
        XCTAssertTrue(edges["rfm_report"]!.contains("test.unique_rfm"))
    }

    func testARelationshipsTestGatesOnlyWhatIsBuiltFromBothSides() {
        let edges = gated()
        XCTAssertTrue(edges["order_facts"]!.contains("test.relationships_orders_customers"))
        // rfm and its report are built from customers alone: they do not wait for the orders side
        XCTAssertFalse(edges["rfm"]!.contains("test.relationships_orders_customers"))
        XCTAssertFalse(edges["rfm_report"]!.contains("test.relationships_orders_customers"))
    }

    func testTestsAndSourcesGainNoEdgesAndNothingElseChanges() {
        let edges = gated()
        for (node, original) in parents where node.hasPrefix("test.") || original.isEmpty {
            XCTAssertEqual(edges[node], original, node)
        }
        XCTAssertEqual(edges["rfm"], ["customers", "test.not_null_customers"])
        XCTAssertEqual(edges["order_facts"], ["orders", "customers", "test.not_null_customers", "test.relationships_orders_customers"])
    }

    func testTheGatedGraphStillHasAnOrder() {
        XCTAssertNotNil(GraphScheduler(nodes: Array(parents.keys), parents: gated()).order())
    }
}
