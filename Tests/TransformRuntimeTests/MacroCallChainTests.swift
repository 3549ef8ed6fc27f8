import Foundation
import TransformProject
@testable import TransformRuntime
import WarehouseDuckDB
import XCTest

/// An error raised inside macros names the node being rendered and every macro it passed
/// through, as dbt's "> in macro … > called by …" lines do, with lines; an error dbt raises at
/// execution fails that node only.
final class MacroCallChainTests: XCTestCase {
    func testErrorsNameTheModelAndTheMacroChain() async throws {
        let dir = NSTemporaryDirectory() + "storehouse-callchain-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = [
            "dbt_project.yml": "name: chain\nprofile: chain\nconfig-version: 2\n",
            "profiles.yml": "chain:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '\(dir)/w.duckdb'\n",
            "macros/m.sql": """
                {% macro outer(x) %}{{ return(inner(x)) }}{% endmacro %}
                {% macro inner(x) %}
                  {% if execute and x > 1 %}
                    {{ exceptions.raise_compiler_error("x is too big: " ~ x) }}
                  {% endif %}
                  {{ return(x) }}
                {% endmacro %}
                {% macro broken(x) %}{{ x.nope.deeper }}{% endmacro %}
                """,
            "models/bad.sql": "select\n{{ outer(2) }} as a",
            "models/child.sql": "select * from {{ ref('bad') }}",
            "models/good.sql": "select {{ outer(1) }} as a, {{ graph.nodes | length }} as parse_safe",
            // dbt's parser lets an undefined name through; the model fails when it runs.
            "models/undefined_name.sql": "select {{ nothing_here.attr.deeper() }} as x",
        ]
        let (project, warehouse) = try SeedHookTests.open(dir, files)
        let summary = try await TransformRunner(project: project, warehouse: warehouse, options: RunOptions(command: .build, threads: 1),
                                                reporter: CollectingReporter()).run()
        let byName = Dictionary(uniqueKeysWithValues: summary.results.map { ($0.name, $0) })
        XCTAssertEqual(byName["good"]?.status, .success)
        XCTAssertEqual(byName["child"]?.status, .skipped)
        XCTAssertEqual(byName["bad"]?.status, .error)
        XCTAssertEqual(byName["undefined_name"]?.status, .error)
        XCTAssertEqual(byName["undefined_name"]?.message, "models/undefined_name.sql:1:24: error: 'nothing_here' is undefined, so attribute 'attr' cannot be read")
        XCTAssertEqual(byName["bad"]?.message, """
            macros/m.sql:4:19: error: x is too big: 2
              > in macro inner (macros/m.sql:4)
              > called by macro outer (macros/m.sql:1)
              > called by model bad (models/bad.sql:2)
            """)

        // Inside a macro, undefined is strict while parsing too (dbt compiles macros apart):
        // the load stops, with the chain.
        try "select {{ broken(none) }} as b".write(toFile: dir + "/models/undef.sql", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProjectLoader.load(LoadOptions(projectDir: dir, profilesDir: dir, environment: [:]))) { error in
            XCTAssertEqual("\(error)", """
                macros/m.sql:8:32: error: 'NoneType object' has no attribute 'nope', so attribute 'deeper' cannot be read
                  > in macro broken (macros/m.sql:8)
                  > called by model undef (models/undef.sql:1)
                """)
        }
    }
}
