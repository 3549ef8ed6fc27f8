import Foundation

/// Full-text search over the project's docs: models, sources, seeds, snapshots, their columns,
/// and the semantic layer's metrics. Ranked with BM25 over weighted fields (a word in a name
/// counts three times a word in a description), so "where is revenue per user?" puts the metric
/// `experiment_revenue_per_user` and the column `experiment_results.revenue_per_user` first.
/// Names are split at underscores and dots, words are folded to their singular, and the usual
/// question words are dropped. The last word of a query also matches as a prefix, for typing.
/// Pure: built once from what the docs know, queried many times.
struct DocsSearchIndex: Sendable {
    struct Document: Sendable {
        enum Kind: String, Sendable { case model, source, seed, snapshot, column, metric }
        var kind: Kind
        /// What a result shows: `dim_customers`, `dim_customers.lifetime_value`, a metric's name.
        var title: String
        /// A line under the title: the description's first sentence.
        var summary: String
        /// Where the result links.
        var link: String
        /// Text by weight: names and labels weigh 3, descriptions 1, a model's column names 1.
        var fields: [(text: String, weight: Double)]
    }

    struct Hit: Sendable {
        var document: Document
        var score: Double
    }

    private let documents: [Document]
    /// Per document: each term's weighted frequency.
    private let frequencies: [[String: Double]]
    private let lengths: [Double]
    private let averageLength: Double
    /// Term → documents that hold it.
    private let postings: [String: [Int]]
    private let vocabulary: [String]

    init(_ documents: [Document]) {
        self.documents = documents
        var frequencies: [[String: Double]] = []
        var lengths: [Double] = []
        var postings: [String: [Int]] = [:]
        for (index, document) in documents.enumerated() {
            var counts: [String: Double] = [:]
            var length = 0.0
            for field in document.fields {
                for term in Self.terms(field.text) {
                    counts[term, default: 0] += field.weight
                    length += field.weight
                }
            }
            for term in counts.keys { postings[term, default: []].append(index) }
            frequencies.append(counts)
            lengths.append(length)
        }
        self.frequencies = frequencies
        self.lengths = lengths
        averageLength = lengths.isEmpty ? 1 : max(1, lengths.reduce(0, +) / Double(lengths.count))
        self.postings = postings
        vocabulary = postings.keys.sorted()
    }

    var count: Int { documents.count }

    /// The best `limit` documents for `query`, best first; ties by kind, then title.
    func search(_ query: String, limit: Int = 20) -> [Hit] {
        let words = Self.terms(query, dropStopWords: true)
        guard !words.isEmpty else { return [] }
        // The last word, as typed so far, also matches the words it begins.
        var queryTerms: [(term: String, weight: Double)] = words.map { ($0, 1) }
        if let last = Self.words(query).last.map(Self.fold), last.count >= 2, !query.hasSuffix(" ") {
            for term in prefixed(by: last) where term != last && !words.contains(term) { queryTerms.append((term, 0.6)) }
        }
        var scores: [Int: Double] = [:]
        var matched: [Int: Set<String>] = [:]
        let total = Double(documents.count)
        for (term, weight) in queryTerms {
            guard let holders = postings[term] else { continue }
            let idf = log(1 + (total - Double(holders.count) + 0.5) / (Double(holders.count) + 0.5))
            for index in holders {
                let tf = frequencies[index][term] ?? 0
                let norm = tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * lengths[index] / averageLength))
                scores[index, default: 0] += weight * idf * norm
                matched[index, default: []].insert(words.contains(term) ? term : words.last ?? term)
            }
        }
        let wanted = Set(words)
        let phrase = words.joined(separator: "_")
        var hits: [Hit] = scores.map { index, score in
            var score = score
            let document = documents[index]
            // Every word of the question found weighs more than a few found often.
            let found = matched[index]?.intersection(wanted).count ?? 0
            score *= 0.5 + Double(found) / Double(wanted.count)
            // The words, in order, as the name itself or its end: the thing asked for.
            let name = document.title.lowercased()
            if Self.words(name).map(Self.fold).joined(separator: "_").hasSuffix(phrase) { score *= 1.6 }
            return Hit(document: document, score: score)
        }
        hits.sort { a, b in
            a.score != b.score ? a.score > b.score : (a.document.kind.rawValue, a.document.title) < (b.document.kind.rawValue, b.document.title)
        }
        return Array(hits.prefix(limit))
    }

    /// Vocabulary terms that start with `prefix` (at most 20).
    private func prefixed(by prefix: String) -> [String] {
        var low = 0, high = vocabulary.count
        while low < high {
            let mid = (low + high) / 2
            if vocabulary[mid] < prefix { low = mid + 1 } else { high = mid }
        }
        var out: [String] = []
        while low < vocabulary.count, vocabulary[low].hasPrefix(prefix), out.count < 20 {
            out.append(vocabulary[low])
            low += 1
        }
        return out
    }

    // MARK: words

    /// Words people ask with that say nothing about what they look for.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "doe", "find", "for", "from", "get", "how", "i", "in",
        "is", "it", "me", "my", "of", "on", "or", "our", "show", "the", "there", "thi", "to", "we", "what", "when", "where",
        "which", "who", "with",
    ]

    /// Lowercased letter-and-digit runs: `dim_customers.lifetime_value` → dim, customers, lifetime, value.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func terms(_ text: String, dropStopWords: Bool = false) -> [String] {
        let folded = words(text).map(fold)
        return dropStopWords ? folded.filter { !stopWords.contains($0) } : folded
    }

    /// A word's singular, roughly: `customers` → `customer`, `categories` → `category`,
    /// `addresses` → `address`; short words and `-ss`/`-us`/`-is` endings stay.
    static func fold(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") else { return word }
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("xes") || word.hasSuffix("ches") || word.hasSuffix("shes") { return String(word.dropLast(2)) }
        return String(word.dropLast())
    }
}
