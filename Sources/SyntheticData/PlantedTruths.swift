/// One A/B(/n) experiment whose effect is planted in the generated orders.
public struct ExperimentTruth: Sendable {
    public let name: String
    /// Variant names; the first is the control.
    public let variants: [String]
    /// Per variant: the probability that an exposed user places an order within
    /// `PlantedTruths.conversionWindowDays` of `assigned_at`. Exact by construction: exposed users'
    /// organic orders in that window are suppressed and replaced by this draw.
    public let conversionRates: [Double]
    /// Per variant: the number of items of the order placed in the conversion window.
    let itemsPerOrder: [WeightedChoice<Int>]
    /// The experiment starts this many days before the end of the first load's as-of date.
    public let startDaysBeforeInitialAsOf: Int
    public let durationDays: Int

    /// Per variant: the expected number of items of a converting order.
    public var meanItemsPerOrder: [Double] {
        itemsPerOrder.map { choice in zip(choice.elements, choice.probabilities).reduce(0) { $0 + Double($1.0) * $1.1 } }
    }

    /// Absolute conversion lift of each variant over the control (percentage points / 100).
    public var conversionLift: [Double] { conversionRates.map { $0 - conversionRates[0] } }

    /// Revenue per exposed user (30-day window) of each variant relative to the control:
    /// conversion × items per order, as item prices do not depend on the variant.
    public var revenuePerUserRatio: [Double] {
        let means = meanItemsPerOrder
        return conversionRates.indices.map { (conversionRates[$0] * means[$0]) / (conversionRates[0] * means[0]) }
    }

    /// Expected sale revenue per exposed user within the conversion window, given the catalog's
    /// mean retail price (users are half Men, half Women). Cross-sell affinity shifts the category
    /// mix of multi-item orders slightly, so treat this as ±3%.
    public func expectedRevenuePerExposedUser(variant: Int, catalog: ProductCatalog) -> Double {
        let meanPrice = (catalog.meanRetailPrice[0] + catalog.meanRetailPrice[1]) / 2
        return conversionRates[variant] * meanItemsPerOrder[variant] * meanPrice
    }
}

/// A category pair bought together more often than chance.
public struct CrossSellAffinity: Sendable, Hashable {
    public let department: String
    public let fromCategory: String
    public let toCategory: String
    /// Probability that the item following a `fromCategory` item in the same order is drawn
    /// from `toCategory` (otherwise it is drawn uniformly from the department's products).
    public let probability: Double
}

/// The truths planted in generated data, so analyses (experiments, churn, cross-sell,
/// seasonality) have a known right answer. Documented in `PLANTED_TRUTHS.md`.
public enum PlantedTruths {
    /// "Converted" means: placed an order within this many days after `assigned_at`.
    public static let conversionWindowDays = 30

    /// Each user is eligible for at most one experiment: a user draws one of the three
    /// experiments (25% each) or none (25%), and is exposed only if signed up before it ends.
    public static let experimentSlotShare = 0.25

    public static let experiments: [ExperimentTruth] = [
        ExperimentTruth(
            name: "checkout_redesign", variants: ["control", "treatment"], conversionRates: [0.10, 0.12],
            itemsPerOrder: [Vocabulary.itemsPerOrder, Vocabulary.itemsPerOrder],
            startDaysBeforeInitialAsOf: 90, durationDays: 60),
        ExperimentTruth(
            name: "free_shipping_threshold", variants: ["control", "treatment"], conversionRates: [0.10, 0.10],
            itemsPerOrder: [Vocabulary.itemsPerOrder, WeightedChoice([(1, 0.45), (2, 0.35), (3, 0.10), (4, 0.10)])],
            startDaysBeforeInitialAsOf: 60, durationDays: 60),
        ExperimentTruth(
            name: "recommendations_v2", variants: ["control", "variant_a", "variant_b"],
            conversionRates: [0.10, 0.11, 0.09],
            itemsPerOrder: [Vocabulary.itemsPerOrder, Vocabulary.itemsPerOrder, Vocabulary.itemsPerOrder],
            startDaysBeforeInitialAsOf: 45, durationDays: 60),
    ]

    /// Share of users who are churn-prone (a hidden trait).
    public static let churnProneShare = 0.20
    /// Churn-prone users place organic orders only within this many days after sign-up.
    public static let churnProneActiveDays = 180
    /// Share of orders that end Returned: churn-prone users vs everyone else (overall stays 10%).
    public static let returnedShareChurnProne = 0.30
    public static let returnedShareOthers = 0.05
    /// Probability that an order gets a support ticket: Returned orders vs others; churn-prone
    /// users' tickets mostly score satisfaction 1–2, others' mostly 4–5.
    public static let ticketProbabilityReturned = 0.40
    public static let ticketProbabilityOther = 0.04
    /// Share of churn-prone users whose marketing segment is `at_risk` (others never are).
    public static let atRiskSegmentShareChurnProne = 0.5

    public static let crossSellAffinities: [CrossSellAffinity] = [
        CrossSellAffinity(department: "Men", fromCategory: "Jeans", toCategory: "Tops & Tees", probability: 0.4),
        CrossSellAffinity(department: "Men", fromCategory: "Suits & Sport Coats", toCategory: "Accessories", probability: 0.4),
        CrossSellAffinity(department: "Men", fromCategory: "Active", toCategory: "Socks", probability: 0.4),
        CrossSellAffinity(department: "Women", fromCategory: "Dresses", toCategory: "Accessories", probability: 0.4),
        CrossSellAffinity(department: "Women", fromCategory: "Leggings", toCategory: "Active", probability: 0.4),
        CrossSellAffinity(department: "Women", fromCategory: "Intimates", toCategory: "Sleep & Lounge", probability: 0.4),
    ]

    /// Relative order intensity by ISO weekday, Monday first (orders are thinned by rejection
    /// sampling, so these are exact ratios of expected orders per day).
    public static let weekdayMultipliers: [Double] = [0.95, 0.90, 0.90, 0.95, 1.05, 1.15, 1.10]
    /// Relative order intensity by month, January first.
    public static let monthMultipliers: [Double] = [0.85, 0.80, 0.90, 0.95, 1.00, 0.95, 0.95, 1.00, 1.00, 1.05, 1.20, 1.35]

    /// In appended days, each existing (not churned) user places organic orders as a Poisson
    /// process with this many orders per day.
    public static let appendOrdersPerUserDay = 1.0 / 365.0
    /// Anonymous ghost sessions per newly signed-up user (uniform 4…9), spread over the run's days.
    public static let ghostSessionsPerNewUser = 4...9
}
