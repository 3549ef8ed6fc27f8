@testable import Server
import XCTest

/// The docs search on a handful of documents whose ranking can be reasoned about by hand.
final class DocsSearchIndexTests: XCTestCase {
    typealias Document = DocsSearchIndex.Document

    static func document(_ kind: Document.Kind, _ title: String, _ description: String = "", columns: String = "") -> Document {
        Document(kind: kind, title: title, summary: description, link: "/\(title)", fields: [(title, 3), (description, 1), (columns, 0.5)])
    }

    let index = DocsSearchIndex([
        document(.metric, "experiment_revenue_per_user", "Revenue per exposed user within 30 days."),
        document(.column, "experiment_results.revenue_per_user", "revenue (gross) / exposed_users."),
        document(.column, "daily_revenue.revenue", "Gross revenue of the day."),
        document(.model, "dim_customers", "One row per customer: lifetime orders and value, segment.", columns: "customer_id lifetime_value user_id"),
        document(.column, "dim_customers.lifetime_value", "Net revenue of the customer's orders."),
        document(.model, "fct_sessions", "Sessions split at 30 minutes of inactivity."),
        document(.source, "thelook.users", "Users as the shop's database has them."),
    ])

    func testAQuestionFindsTheMetricAndTheColumnFirst() {
        let hits = index.search("where is revenue per user?")
        XCTAssertEqual(Set(hits.prefix(2).map(\.document.title)), ["experiment_revenue_per_user", "experiment_results.revenue_per_user"])
        // Every hit holds one of the words; sessions hold none of them.
        XCTAssertFalse(hits.contains { $0.document.title == "fct_sessions" })
        XCTAssertTrue(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
    }

    func testPluralsAndNamesMatchTheirParts() {
        XCTAssertEqual(index.search("customers").first?.document.title, "dim_customers")
        XCTAssertEqual(index.search("lifetime value").first?.document.title, "dim_customers.lifetime_value")
        XCTAssertEqual(index.search("users").first?.document.title, "thelook.users")
    }

    func testTheLastWordMatchesAsAPrefixWhileTyping() {
        XCTAssertEqual(index.search("sessi").first?.document.title, "fct_sessions")
        // A finished word (a space after it) is no longer a prefix.
        XCTAssertTrue(index.search("sessi ").isEmpty)
    }

    func testQuestionWordsAloneFindNothing() {
        XCTAssertTrue(index.search("where is the").isEmpty)
        XCTAssertTrue(index.search("").isEmpty)
        XCTAssertTrue(index.search("???").isEmpty)
    }

    func testFolding() {
        XCTAssertEqual(["customers", "categories", "addresses", "status", "sales", "bus", "analysis"].map(DocsSearchIndex.fold),
                       ["customer", "category", "address", "status", "sale", "bus", "analysis"])
        XCTAssertEqual(DocsSearchIndex.terms("dim_customers.LifetimeValue"), ["dim", "customer", "lifetimevalue"])
    }

    func testDescriptionsRenderAsEscapedParagraphsListsAndCode() {
        XCTAssertEqual(DocsText.html("One `a<b` line\nwrapped.\n\n- x & y\n- <z>"),
                       "<p>One <code>a&lt;b</code> line wrapped.</p><ul><li>x &amp; y</li><li>&lt;z&gt;</li></ul>")
        XCTAssertEqual(DocsText.inline("a ` b"), "a ` b")
        XCTAssertEqual(DocsText.firstSentence("First part. Second part."), "First part.")
    }
}
