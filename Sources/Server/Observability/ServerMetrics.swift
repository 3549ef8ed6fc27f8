import Foundation
import Hummingbird
import Prometheus

/// What `/metrics` reports, in Prometheus' text format: requests and their latency per route,
/// the query cache's hits and misses, warehouse query time by kind, and the last build's status.
///
/// Each server owns its registry (not the process-wide swift-metrics factory), so several
/// servers in one process — the tests — never share counters.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init() {}

    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: "http", metricName: "requests", unitName: "total",
                                                              helpText: "HTTP requests answered, by route pattern, method and status."),
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                                                        helpText: "Time from request to response, by route pattern."),
                                       labels: [("route", route)], buckets: Self.latencyBuckets).record(duration)
    }

    /// Which cache a hit or miss is counted for.
    enum CacheKind: String, Sendable {
        /// Query results.
        case query = "query_cache"
        /// Rendered dashboard pages.
        case page = "page_cache"
    }

    func cache(hit: Bool, kind: CacheKind = .query) {
        let help = switch (kind, hit) {
        case (.query, true): "Queries answered from the result cache."
        case (.query, false): "Queries the result cache sent to the warehouse."
        case (.page, true): "Dashboard pages answered as rendered before."
        case (.page, false): "Dashboard pages rendered anew."
        }
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: kind.rawValue, metricName: hit ? "hits" : "misses",
                                                              unitName: "total", helpText: help)).increment()
    }

    func queryFinished(kind: String, duration: Duration) {
        registry.makeDurationHistogram(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: "warehouse", metricName: "query_duration", unitName: "seconds",
                                                                        helpText: "Time the warehouse took per query, by what asked (dashboard, metrics, sql, models)."),
                                       labels: [("kind", kind)], buckets: Self.latencyBuckets).record(duration)
    }

    /// The text of `/metrics`, with the build's gauges read fresh from run_results.json.
    func exposition(build: BuildRecord?) -> String {
        let success = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: "build", metricName: "last_success", unitName: "",
                                                                          helpText: "1 when the last build had no error or failed test, 0 when it had, -1 when no build is on record."))
        let finished = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: "build", metricName: "last_finished", unitName: "timestamp_seconds",
                                                                           helpText: "When the last build finished (Unix time)."))
        let failures = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "storehouse", subsystem: "build", metricName: "last_failures", unitName: "",
                                                                           helpText: "Nodes that errored or failed in the last build."))
        if let build {
            success.set(Double(build.failures == 0 ? 1 : 0))
            finished.set(build.generatedAt?.timeIntervalSince1970 ?? 0)
            failures.set(Double(build.failures))
        } else {
            success.set(Double(-1))
        }
        return registry.emitToString()
    }
}

/// Counts and times every request by its route pattern (`/api/v1/metrics/{name}`), never by the
/// raw path, so the number of series stays bounded whatever URLs clients send.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status = 500
        defer {
            let route = context.endpointPath ?? (status == 404 ? "unmatched" : "unrouted")
            metrics.requestFinished(route: route, method: request.method.rawValue, status: status, duration: ContinuousClock.now - started)
        }
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            status = Int(error.status.code)
            throw error
        }
    }
}
