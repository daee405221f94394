import Foundation
import Measurement
import NIOCore
import RunModel

/// Scrapes a Prometheus endpoint once a second while a load runs, keeping the series whose
/// name matches one of the patterns.
final class MetricsScraper: Sendable {
    /// The relay's load, traffic and process figures, as coturn (`turn_…`), our relay
    /// (`turnload_relay_…`) and the standard process collector name them.
    static let defaultPatterns = [
        "allocation", "traffic", "packets", "bytes", "dropped", "process_resident_memory_bytes", "process_cpu_seconds_total",
        "process_open_fds",
    ]

    /// Where to scrape, from `http://HOST:PORT/PATH`.
    struct Endpoint: Sendable {
        var url: String
        var host: String
        var port: Int
        var path: String

        /// Nil for anything but a plain-HTTP URL with a host.
        init?(_ url: String) {
            guard let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host, !host.isEmpty else {
                return nil
            }
            self.url = url
            self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            port = parsed.port ?? 80
            path =
                (parsed.percentEncodedPath.isEmpty ? "/" : parsed.percentEncodedPath)
                + (parsed.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
    }

    private struct State: Sendable {
        var scraped: ScrapedMetrics
        /// Where each series sits in `scraped.series`.
        var index: [String: Int] = [:]
    }

    private let sampler: Sampler<State>

    /// Starts scraping at once; `patterns` are regular expressions over the metric name.
    init(_ endpoint: Endpoint, patterns: [String]) {
        sampler = Sampler(State(scraped: ScrapedMetrics(url: endpoint.url, patterns: patterns))) { state, second in
            let expressions = patterns.compactMap { try? Regex($0) }
            do {
                let text = try await HTTPGet.body(host: endpoint.host, port: endpoint.port, path: endpoint.path, timeout: .seconds(1))
                for sample in PrometheusText.parse(text) where expressions.contains(where: { sample.name.contains($0) }) {
                    let position: Int
                    if let known = state.index[sample.series] {
                        position = known
                    } else {
                        position = state.scraped.series.count
                        state.index[sample.series] = position
                        state.scraped.series.append(ScrapedSeries(series: sample.series, name: sample.name))
                    }
                    state.scraped.series[position].points.append(ScrapedPoint(second: second, value: sample.value))
                }
            } catch {
                state.scraped.failedScrapes += 1
                state.scraped.lastFailure = "\(error)"
            }
            return true
        }
    }

    /// Stops scraping: what was scraped so far.
    func finish() async -> ScrapedMetrics {
        await sampler.finish().scraped
    }
}
