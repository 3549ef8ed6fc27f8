import Foundation
import XCTest

@testable import Learning

final class FeatureEncoderTests: XCTestCase {
    let table = FeatureTable(name: "analytics.t", columns: [
        ("age", .numbers([20, 30, 40, 50])),
        ("satisfaction", .numbers([1, nil, 5, nil])),
        ("source", .labels(["Search", "Email", "Search", nil])),
        ("flag", .numbers([0, 1, 1, 0])),
    ])

    func testStandardisesImputesAndOneHots() throws {
        let spec = FeatureSpec(numeric: [.init("age"), .init("satisfaction", missing: .mean)], categorical: ["source"])
        let encoder = try FeatureEncoder.fit(spec, on: table)
        XCTAssertEqual(encoder.featureNames, [
            "age", "satisfaction", "satisfaction_missing", "source=(missing)", "source=Email", "source=Search",
        ])
        let design = try encoder.encode(table)
        let ageScale = (125.0).squareRoot()  // population deviation of 20, 30, 40, 50
        XCTAssertEqual(design[0, 0], (20 - 35) / ageScale, accuracy: 1e-12)
        // NULL satisfaction → the mean of 1 and 5 (3), flagged; 1, 3, 5, 3 has mean 3, deviation √2.
        XCTAssertEqual(design[1, 1], 0, accuracy: 1e-12)
        XCTAssertEqual(design[2, 1], 2 / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual((0..<4).map { design[$0, 2] }, [0, 1, 0, 1])
        XCTAssertEqual((0..<4).map { design[$0, 5] }, [1, 0, 1, 0])
        XCTAssertEqual((0..<4).map { design[$0, 3] }, [0, 0, 0, 1], "NULL is a level of its own")
    }

    func testLinearPredictorsWithoutTheDesignMatrixAreThoseOfTheEncodedRowsToTheBit() throws {
        let spec = FeatureSpec(numeric: [.init("age", transform: .log), .init("satisfaction", missing: .mean), .init("flag")],
                               categorical: ["source"], minCategoryCount: 2)
        let encoder = try FeatureEncoder.fit(spec, on: table)
        XCTAssertEqual(encoder.featureNames, ["age", "satisfaction", "flag", "satisfaction_missing", "source=Search", "source=(other)"])
        let coefficients = GLMCoefficients(intercept: -0.37, weights: [0.61, -1.3, 0.07, 2.2, -0.45, 0.9], iterations: 1, objective: 0, gradientNorm: 0)
        // Rows to score: a NULL, an unseen level, a rare one, a NULL label.
        let scoring = FeatureTable(name: "s", columns: [
            ("age", .numbers([33, 18, 71, 45, 52])),
            ("satisfaction", .numbers([nil, 4, 2, nil, 5])),
            ("source", .labels(["Display", "Search", "Email", nil, "Search"])),
            ("flag", .numbers([1, 0, 1, 1, 0])),
        ])
        let expected = coefficients.linearPredictors(try encoder.encode(scoring))
        XCTAssertEqual(try encoder.linearPredictors(scoring, coefficients: coefficients), expected)
        // Without an (other) column an unseen level adds nothing, as its row of zeros does.
        let plain = try FeatureEncoder.fit(FeatureSpec(numeric: [.init("age")], categorical: ["source"]), on: table)
        let few = GLMCoefficients(intercept: 0.5, weights: [1, 2, 3, 4], iterations: 1, objective: 0, gradientNorm: 0)
        XCTAssertEqual(try plain.linearPredictors(scoring, coefficients: few), few.linearPredictors(try plain.encode(scoring)))
        // The same errors as encoding: a NULL where the feature declares `fail` names its row.
        let strict = try FeatureEncoder.fit(FeatureSpec(numeric: [.init("age")], categorical: []), on: table)
        let withNull = FeatureTable(name: "s", columns: [("age", .numbers([1, nil]))])
        XCTAssertThrowsError(try strict.linearPredictors(withNull, coefficients: GLMCoefficients(intercept: 0, weights: [1], iterations: 1, objective: 0, gradientNorm: 0))) {
            XCTAssertEqual("\($0)", "\(LearningError.nullFeature(table: "s", column: "age", row: 2))")
        }
    }

    func testRareAndUnseenCategoriesShareTheOtherColumn() throws {
        let spec = FeatureSpec(numeric: [], categorical: ["source"], minCategoryCount: 2)
        let encoder = try FeatureEncoder.fit(spec, on: table)
        XCTAssertEqual(encoder.featureNames, ["source=Search", "source=(other)"])
        let scoring = FeatureTable(name: "s", columns: [("source", .labels(["Display", "Search", "Email"]))])
        let design = try encoder.encode(scoring)
        XCTAssertEqual(design.values, [0, 1, 1, 0, 0, 1])
        // Without rare levels in training there is no (other) column: an unseen level is all zeros.
        let plain = try FeatureEncoder.fit(FeatureSpec(numeric: [], categorical: ["source"]), on: table)
        XCTAssertFalse(plain.featureNames.contains("source=(other)"))
        XCTAssertEqual(try plain.encode(FeatureTable(name: "s", columns: [("source", .labels(["Display"]))])).values, [0, 0, 0])
    }

    func testConstantColumnsKeepScaleOne() throws {
        let constant = FeatureTable(name: "c", columns: [("x", .numbers([4, 4, 4]))])
        let encoder = try FeatureEncoder.fit(FeatureSpec(numeric: [.init("x")]), on: constant)
        XCTAssertEqual(encoder.numeric[0].scale, 1)
        XCTAssertEqual(try encoder.encode(constant).values, [0, 0, 0])
    }

    func testBadInputNamesTheColumnAndRow() throws {
        let spec = FeatureSpec(numeric: [.init("satisfaction")])
        XCTAssertThrowsError(try FeatureEncoder.fit(spec, on: table)) { error in
            XCTAssertEqual(error as? LearningError, .nullFeature(table: "analytics.t", column: "satisfaction", row: 2))
            XCTAssertTrue("\(error)".contains("missing: mean"), "\(error)")
        }
        let fitted = try FeatureEncoder.fit(FeatureSpec(numeric: [.init("age")]), on: table)
        let broken = FeatureTable(name: "s", columns: [("age", .numbers([1, .nan]))])
        XCTAssertThrowsError(try fitted.encode(broken)) { error in
            guard case let .nonFiniteFeature(_, column, row, _)? = error as? LearningError else { return XCTFail("\(error)") }
            XCTAssertEqual(column, "age")
            XCTAssertEqual(row, 2)
        }
        XCTAssertThrowsError(try fitted.encode(FeatureTable(name: "s", columns: [("years", .numbers([1]))]))) { error in
            XCTAssertEqual(error as? LearningError, .missingColumn(table: "s", column: "age", available: ["years"]))
        }
        XCTAssertThrowsError(try FeatureEncoder.fit(spec, on: FeatureTable(name: "e", columns: [("satisfaction", .numbers([]))]))) { error in
            XCTAssertEqual(error as? LearningError, .emptyTable(table: "e"))
        }
    }

    func testFingerprintFollowsTheValues() throws {
        let a = try DataFingerprint.of(table, columns: ["age", "source"])
        XCTAssertEqual(a, try DataFingerprint.of(table, columns: ["age", "source"]))
        XCTAssertEqual(a.count, 16)
        let changed = FeatureTable(name: "analytics.t", columns: [("age", .numbers([20, 30, 40, 51])), ("source", .labels(["Search", "Email", "Search", nil]))])
        XCTAssertNotEqual(a, try DataFingerprint.of(changed, columns: ["age", "source"]))
        let nullSwapped = FeatureTable(name: "analytics.t", columns: [("age", .numbers([20, 30, 40, 50])), ("source", .labels(["Search", "Email", "Search", ""]))])
        XCTAssertNotEqual(a, try DataFingerprint.of(nullSwapped, columns: ["age", "source"]), "NULL and '' differ")
    }
}
