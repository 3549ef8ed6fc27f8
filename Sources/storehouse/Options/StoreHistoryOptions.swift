import ArgumentParser
import Foundation
import SyntheticData

/// `--profile` and `--growth`: how a generated store's history unfolds, shared by `generate`
/// and `demo`. Values arrive as text so a bad one gets the commands' one-message treatment.
struct StoreHistoryOptions: ParsableArguments {
    @Option(name: .customLong("profile"),
            help: "How the history unfolds: growing (default: steady growth, weekly and yearly seasons, a November–December peak) or thelook (the public dataset's rules, whose recent sign-ups make the last month jump by about +90%).")
    var profileText: String?

    @Option(name: .customLong("growth"), parsing: .unconditional,
            help: "Growth per year of the growing profile, as 0.3 or 30% (default 30%; from -50% to 300%).")
    var growthText: String?

    var profile: StoreProfile { profileText.flatMap(StoreProfile.init(rawValue:)) ?? .growing }
    var growthPerYear: Double { growthText.flatMap(StoreHistoryOptions.parseGrowth) ?? StoreProfile.defaultGrowthPerYear }
    var isSet: Bool { profileText != nil || growthText != nil }

    /// `growing +30%/year` or `thelook profile`, as run summaries say it.
    static func describe(_ profile: StoreProfile, growth: Double) -> String {
        switch profile {
        case .growing: return "growing \(String(format: "%+.0f%%", growth * 100))/year"
        case .thelook: return "thelook profile"
        }
    }

    /// `0.3`, `30%` and `+30%` all mean +30% a year.
    static func parseGrowth(_ text: String) -> Double? {
        let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
        if trimmed.hasSuffix("%") { return Double(trimmed.dropLast()).map { $0 / 100 } }
        return Double(trimmed)
    }

    func check() throws {
        if let profileText, StoreProfile(rawValue: profileText) == nil {
            throw CLIError("--profile \(profileText) is not a known profile",
                           hint: "use \(StoreProfile.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        if let growthText {
            guard let growth = StoreHistoryOptions.parseGrowth(growthText) else {
                throw CLIError("--growth \(growthText) is not a rate", hint: "write it as 0.3 or 30% for +30% a year")
            }
            guard growth.isFinite, StoreProfile.growthRange.contains(growth) else {
                throw CLIError("--growth \(growthText) is not allowed: use a rate from -50% to 300% a year")
            }
            if profile == .thelook {
                throw CLIError("--growth shapes the growing profile; TheLook's rules have no growth rate",
                               hint: "drop --growth, or drop --profile thelook")
            }
        }
    }
}
