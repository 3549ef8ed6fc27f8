import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Walks a REST resource's pages with its paginator, each request retried on 429 (after its
/// `Retry-After`), 5xx, timeouts, dropped connections and pages that are not JSON; appends each
/// page's records to an NDJSON file.
struct PageFetcher: Sendable {
    let connector: RestConnector
    let token: String?
    let backoff: Double
    let deadline: Date

    struct Fetched {
        var pages = 0
        var records = 0
        /// Why requests were retried, and how often.
        var retries: [String: Int] = [:]

        var summary: String {
            var text = "\(pages) page\(pages == 1 ? "" : "s"), \(records) records"
            if !retries.isEmpty {
                text += "; retried " + retries.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            }
            return text
        }
    }

    func fetchAll(savedCursor: String?, into file: URL, progress: @Sendable (String) -> Void) async throws -> Fetched {
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let output = try FileHandle(forWritingTo: file)
        defer { try? output.close() }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = connector.requestTimeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }

        var fetched = Fetched()
        var query = connector.parameters
        if let parameter = connector.cursorParameter, let savedCursor { query[parameter] = savedCursor }
        var next: URL? = try url(query: query, paging: firstPage())
        var offset = 0
        var page = pageStart()
        func keep(_ body: Data, records: Int) {
            // The page as it came, one line of the scratch file; DuckDB takes its records out
            // (FileStaging.recordPath). Raw line breaks in valid JSON are only whitespace (inside
            // strings they are escaped), so they become spaces.
            var line = Data(body.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
            line.append(0x0A)
            output.write(line)
            fetched.pages += 1
            fetched.records += records
            progress("  page \(fetched.pages): \(records) records (\(fetched.records) in all)")
        }
        while let current = next {
            let (document, body) = try await fetch(current, session: session, fetched: &fetched)
            let records = try self.records(in: document, from: current)
            keep(body, records: records.count)
            var lastCount = records.count
            next = nil
            switch connector.paginator {
            case .single: break
            case .offset(_, _, let size, let totalPath):
                offset += records.count
                var total = totalPath.flatMap { Self.value(at: $0, in: document) as? NSNumber }?.intValue
                if connector.concurrency > 1, fetched.pages == 1, records.count == size, let known = total, offset < known {
                    // The first page told the total: the other pages are known, so ask for them
                    // side by side, and keep them in order.
                    let urls = try stride(from: offset, to: known, by: size).map { try url(query: query, paging: offsetPaging($0)) }
                    let last = try await pages(urls, totalPath: totalPath, session: session) { body, count in
                        keep(body, records: count)
                        offset += count
                    }
                    fetched.retries.merge(last.retries, uniquingKeysWith: +)
                    lastCount = last.records
                    total = last.total
                }
                if lastCount == size, total.map({ offset < $0 }) ?? true {
                    next = try url(query: query, paging: offsetPaging(offset))
                }
            case .pageNumber(_, _, let size, _):
                page += 1
                if records.count == size { next = try url(query: query, paging: pagePaging(page)) }
            case .cursor(let parameter, let sizeParameter, let size, let hasMorePath):
                let flag = Self.value(at: hasMorePath, in: document)
                let more = (flag as? Bool) ?? (flag as? NSNumber)?.boolValue ?? false
                if more, let last = records.last as? [String: Any], let key = connector.primaryKey.first, let id = last[key] {
                    next = try url(query: query, paging: [(sizeParameter, String(size)), (parameter, "\(id)")])
                }
            case .nextLink(let path):
                if let link = Self.value(at: path, in: document) as? String, !link.isEmpty {
                    guard let resolved = URL(string: link, relativeTo: current)?.absoluteURL else {
                        throw IngestError("\(current): the next page's link '\(link)' is not a URL")
                    }
                    next = resolved
                }
            }
        }
        return fetched
    }

    // MARK: Requests

    /// Fetches `urls` with up to `connector.concurrency` requests in flight and hands each page
    /// (its bytes and record count) to `keep` in the order of `urls`: a page that arrives early
    /// waits for those before it. Returns the last page's record count, the total it tells, and
    /// why requests were retried.
    private func pages(
        _ urls: [URL], totalPath: [String]?, session: URLSession, keep: (Data, Int) -> Void
    ) async throws -> (records: Int, total: Int?, retries: [String: Int]) {
        typealias Page = (body: Data, records: Int, total: Int?)
        let width = max(1, min(connector.concurrency, urls.count))
        var waiting: [Int: Page] = [:]
        var kept = 0
        var last: Page = (Data(), 0, nil)
        var retries: [String: Int] = [:]
        try await withThrowingTaskGroup(of: (Int, Page, [String: Int]).self) { group in
            var started = 0
            func start() {
                let index = started, url = urls[index]
                started += 1
                group.addTask {
                    var own = Fetched()
                    let (document, body) = try await fetch(url, session: session, fetched: &own)
                    let total = totalPath.flatMap { Self.value(at: $0, in: document) as? NSNumber }?.intValue
                    return (index, (body, try records(in: document, from: url).count, total), own.retries)
                }
            }
            while started < width { start() }
            for try await (index, page, tried) in group {
                retries.merge(tried, uniquingKeysWith: +)
                waiting[index] = page
                while let next = waiting.removeValue(forKey: kept) {
                    keep(next.body, next.records)
                    last = next
                    kept += 1
                }
                if started < urls.count { start() }
            }
        }
        return (last.records, last.total, retries)
    }

    /// The page parsed (for its records and the paginator), and its bytes.
    private func fetch(_ url: URL, session: URLSession, fetched: inout Fetched) async throws -> (Any, Data) {
        var request = URLRequest(url: url, timeoutInterval: connector.requestTimeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        var lastProblem = ""
        for attempt in 1...max(1, connector.maxAttempts) {
            guard Date() < deadline else {
                throw IngestError("\(connector.name): the load ran past its time limit of \(Int(connector.timeLimit)) s at \(url) (last problem: \(lastProblem.isEmpty ? "none" : lastProblem))")
            }
            var wait = delay(attempt)
            do {
                let (data, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                switch status {
                case 200..<300:
                    if let document = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) { return (document, data) }
                    lastProblem = "malformed JSON"
                case 429:
                    lastProblem = "429"
                    if let after = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After"), let seconds = Double(after.trimmingCharacters(in: .whitespaces)) {
                        wait = min(max(seconds, 0), 120)
                    }
                case 500..<600:
                    lastProblem = "\(status)"
                default:
                    let body = String(decoding: data.prefix(300), as: UTF8.self)
                    let hint = status == 401 || status == 403
                        ? (connector.bearerTokenVariable.map { "check the key in $\($0)" } ?? "the API wants credentials")
                        : "check the connector's base URL and resource"
                    throw IngestError("GET \(url) answered \(status): \(body)", hint: hint)
                }
            } catch let error as IngestError {
                throw error
            } catch let error as URLError {
                switch error.code {
                case .timedOut: lastProblem = "timeout"
                case .networkConnectionLost, .badServerResponse, .cannotParseResponse, .zeroByteResource: lastProblem = "dropped connection"
                case .cannotConnectToHost: lastProblem = "connection refused"
                default: lastProblem = "connection error \(error.code.rawValue)"
                }
            } catch {
                lastProblem = "connection"
            }
            if attempt < connector.maxAttempts {
                fetched.retries[lastProblem, default: 0] += 1
                try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            }
        }
        throw IngestError("GET \(url) failed \(connector.maxAttempts) times (last: \(lastProblem)); nothing of this load was written",
                          hint: "the next load starts again from the saved cursor")
    }

    /// Exponential backoff with jitter: base × 2^(attempt−1) × [0.5, 1.5), at most 30 s.
    private func delay(_ attempt: Int) -> Double {
        min(30, backoff * pow(2, Double(attempt - 1)) * Double.random(in: 0.5..<1.5))
    }

    // MARK: Pages

    private func firstPage() -> [(String, String)] {
        switch connector.paginator {
        case .single, .nextLink: return []
        case .offset: return offsetPaging(0)
        case .pageNumber(_, _, _, let first): return pagePaging(first)
        case .cursor(_, let sizeParameter, let size, _): return [(sizeParameter, String(size))]
        }
    }

    private func pageStart() -> Int {
        if case .pageNumber(_, _, _, let first) = connector.paginator { return first }
        return 0
    }

    private func offsetPaging(_ offset: Int) -> [(String, String)] {
        guard case .offset(let limit, let skip, let size, _) = connector.paginator else { return [] }
        return [(limit, String(size)), (skip, String(offset))]
    }

    private func pagePaging(_ page: Int) -> [(String, String)] {
        guard case .pageNumber(let parameter, let sizeParameter, let size, _) = connector.paginator else { return [] }
        return [(parameter, String(page)), (sizeParameter, String(size))]
    }

    private func url(query: [String: String], paging: [(String, String)]) throws -> URL {
        let base = connector.baseURL.hasSuffix("/") ? String(connector.baseURL.dropLast()) : connector.baseURL
        guard var components = URLComponents(string: base + "/" + connector.resource) else {
            throw IngestError("\(connector.location): '\(connector.baseURL)' is not a URL", hint: "write it as https://host/path")
        }
        let items = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } + paging.map { URLQueryItem(name: $0.0, value: $0.1) }
        if !items.isEmpty { components.queryItems = items }
        guard let url = components.url else { throw IngestError("\(connector.location): cannot build a URL from \(base)") }
        return url
    }

    private func records(in document: Any, from url: URL) throws -> [Any] {
        let found = connector.recordPath.isEmpty ? document : Self.value(at: connector.recordPath, in: document)
        guard let records = found as? [Any] else {
            let path = connector.recordPath.isEmpty ? "the page" : connector.recordPath.joined(separator: ".")
            throw IngestError("\(url): \(path) is not a list of records", hint: "check the connector's record_path")
        }
        return records
    }

    static func value(at path: [String], in document: Any) -> Any? {
        var current: Any? = document
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }
}
