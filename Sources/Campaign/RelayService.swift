import Foundation
import NIOCore
import NIOPosix
import Reporting
import RunModel
import TURNProtocol
import TURNRelay

/// `turnload relay`: the relay and its metrics endpoint, serving until Ctrl-C, with a status
/// line each second.
public enum RelayService {
    /// Why the relay could not start; the description says what to change.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    public static func serve(
        configuration: RelayConfiguration, listeners: [RelayListener], identity: RelayIdentity?, relayIPs: [IPAddress],
        threads: Int, metrics: TransportAddress?
    ) async throws(Refusal) {
        let group = MultiThreadedEventLoopGroup.singleton
        let server: RelayServer
        do {
            server = try await RelayServer.start(
                configuration: configuration, listeners: listeners, identity: identity, relayIPs: relayIPs, threads: threads,
                group: group)
        } catch {
            throw Refusal(description: "\(error)")
        }
        let relayMetrics = RelayMetrics()
        var endpoint: MetricsEndpoint?
        if let metrics {
            do { endpoint = try await MetricsEndpoint.start(relayMetrics.exposition, at: SocketAddress(metrics), group: group) } catch {
                await server.stop()
                throw Refusal(description: "cannot serve metrics on \(metrics): \(error)")
            }
        }
        let addresses = listeners.map { "\($0.address)/\($0.transport.rawValue)" }.joined(separator: ", ")
        printError(
            "relay listening on \(addresses) with \(threads) thread\(threads == 1 ? "" : "s"), relaying from "
                + "\(relayIPs.map(\.description).joined(separator: " and ")), realm \(configuration.realm)"
                + (configuration.peerPolicy.allowLoopback ? ", loopback peers allowed" : "")
                + (metrics.map { ", metrics at http://\($0)/metrics" } ?? ""))
        let stop = StopSignal()
        let start = Date()
        var last = RelayCounters()
        while !stop.received {
            try? await Task.sleep(for: .seconds(1))
            let now = await server.counters
            relayMetrics.update(now)
            printError(RelayStatusLine.render(now, since: last, seconds: Int(Date().timeIntervalSince(start))))
            last = now
        }
        printError("stopping")
        await endpoint?.stop()
        await server.stop()
    }
}
