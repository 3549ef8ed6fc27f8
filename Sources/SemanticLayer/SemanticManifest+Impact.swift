import Foundation

extension SemanticManifest {
    /// The metrics that read one of `columns` (`schema.identifier` of a relation → its column
    /// names, lowercased) through a measure's expression (its name when it has none), directly
    /// or as an input of a ratio or derived metric; sorted by name. Impact analysis: what a change
    /// to those columns moves on the dashboards.
    public func metrics(reading columns: [String: Set<String>]) -> [String] {
        var measures: Set<String> = []
        for model in semanticModels {
            let relation = model.relation.lowercasedName
            guard let affected = columns[relation], !affected.isEmpty else { continue }
            for measure in model.measures where !Self.identifiers(in: measure.expr.isEmpty ? measure.name : measure.expr).isDisjoint(with: affected) {
                measures.insert(measure.name)
            }
        }
        return metrics.filter { !measures.isDisjoint(with: self.measures(of: $0)) }.map(\.name).sorted()
    }

    /// The lowercased words of a SQL expression that could name columns.
    static func identifiers(in expression: String) -> Set<String> {
        Set(expression.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }
}
