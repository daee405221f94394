import Foundation
import Reporting
import TestSupport
import Testing

/// `turnload run` against a real coturn on loopback: hundreds of clients over UDP, and over
/// TCP and TLS, and not one packet unaccounted for.
@Suite("load against coturn", .serialized)
struct LoadInteropTests {
    /// Over channels, and with `--indications` over Send and Data indications.
    @Test(arguments: [
        ("turn", "udp", 300, 20, false), ("turn", "tcp", 100, 10, false), ("turns", "tcp", 100, 10, false),
        ("turn", "udp", 100, 5, true), ("turn", "tcp", 50, 5, true),
    ])
    func loadThroughCoturn(scheme: String, transport: String, clients: Int, seconds: Int, indications: Bool) async throws {
        let coturn = try Coturn()
        let port = scheme == "turns" ? coturn.tlsPort : coturn.udpPort
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            // localhost: the throw-away certificate names it, and --ca-file checks that.
            [
                "run", "--target", "\(scheme):localhost:\(port)?transport=\(transport)", "--user", Coturn.user,
                "--password-env", "COTURN_PASSWORD", "--ca-file", coturn.certificate.path, "--clients", "\(clients)",
                "--ramp", "200", "--duration", "\(seconds)s", "--out", folder.path,
            ] + (indications ? ["--indications"] : []),
            environment: ["COTURN_PASSWORD": Coturn.password], limit: .seconds(Int64(seconds) + 60))
        #expect(outcome.status == 0, "\(outcome.output)\n\(outcome.errors.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path))
        let result = try ResultWriter.decode(data)
        #expect(result.outcome.clients.allocated == clients)
        #expect(result.outcome.endpointSoftware?.hasPrefix("Coturn") == true, "\(result.outcome.endpointSoftware ?? "-")")
        let toPeer = result.outcome.towardPeer
        let toClient = try #require(result.outcome.towardClient)
        #expect(toPeer.expected >= clients * 50 * seconds)
        for direction in [toPeer, toClient] {
            #expect(direction.lost == 0 && direction.received == direction.expected, "\(direction.summary(duration: 1))")
        }
        #expect(toClient.expected == toPeer.received)
        #expect(result.configuration.indications == (indications ? true : nil))
        // Around the RTP: a Send indication to an IPv4 peer is 36 bytes (and up to 3 of padding),
        // ChannelData 4 (and up to 3 over a stream); then IPv4 and UDP (28) or TCP (52) headers.
        let overhead = Double(toPeer.wireBytesSent - toPeer.payloadBytesSent) / Double(toPeer.sent)
        let frame = overhead - (transport == "udp" ? 28 : 52) - (scheme == "turns" ? 22 : 0)
        #expect(indications ? (36...39).contains(frame) : (4...7).contains(frame), "\(frame) bytes a packet around the RTP")
        #expect(!outcome.output.contains(Coturn.password) && !outcome.errors.contains(Coturn.password))
    }

    /// Calls that come and go through coturn: each allocation released at its hang-up while
    /// the others talk on, over UDP and over TCP (where media goes through each connection's
    /// pipeline), with nothing lost.
    @Test(arguments: ["udp", "tcp"])
    func callsComeAndGoThroughCoturn(transport: String) async throws {
        let coturn = try Coturn()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:127.0.0.1:\(coturn.udpPort)?transport=\(transport)", "--user", Coturn.user,
                "--password-env", "COTURN_PASSWORD", "--arrivals", "20", "--hold-time", "fixed:2s", "--duration", "8s",
                "--out", folder.path,
            ], environment: ["COTURN_PASSWORD": Coturn.password], limit: .seconds(60))
        #expect(outcome.status == 0, "\(outcome.output)\n\(outcome.errors.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path))
        let result = try ResultWriter.decode(data)
        let arrivals = try #require(result.outcome.arrivals)
        #expect(arrivals.hungUp > 80 && result.outcome.calls.count == arrivals.talked, "\(arrivals)")
        #expect(result.outcome.clients.failures.isEmpty, "\(result.outcome.clients.failureExamples)")
        for call in result.outcome.calls {
            // A call that joined in the run's last frame interval was cut before its first frame.
            let talked = call.towardPeer.sent > 0 || (call.talkSeconds ?? 0) < 0.1
            #expect(
                call.towardPeer.lost == 0 && call.towardClient?.lost == 0 && talked,
                "call \(call.client) from \(call.startSeconds ?? -1) s for \(call.talkSeconds ?? -1) s: \(call.towardPeer.sent) sent")
        }
    }

    /// 70/20/10 over UDP, TCP and TLS against one coturn at once: each transport's figures,
    /// their clients adding up to the run's, nothing lost on any.
    @Test func aTransportMixThroughCoturn() async throws {
        let coturn = try Coturn()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try await TurnloadBinary().run(
            [
                "run", "--target", "turn:localhost:\(coturn.udpPort)", "--mix", "udp=70,tcp=20,tls=10", "--mix-tls-port",
                "\(coturn.tlsPort)", "--user", Coturn.user, "--password-env", "COTURN_PASSWORD", "--ca-file", coturn.certificate.path,
                "--clients", "100", "--ramp", "200", "--duration", "5s", "--out", folder.path,
            ], environment: ["COTURN_PASSWORD": Coturn.password], limit: .seconds(60))
        #expect(outcome.status == 0, "\(outcome.output)\n\(outcome.errors.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: folder.appendingPathComponent("result.json").path))
        let result = try ResultWriter.decode(data)
        let parts = try #require(result.outcome.byTransport)
        #expect(parts.map(\.transport) == ["udp", "tcp", "tls"])
        #expect(parts.map(\.clients.requested).reduce(0, +) == 100 && result.outcome.clients.allocated == 100)
        // Drawn from the weights: 70, 20 and 10 give or take the draw of 100 calls.
        #expect((55...85).contains(parts[0].clients.requested) && parts[2].clients.requested > 0, "\(parts.map(\.clients.requested))")
        for part in parts {
            #expect(part.clients.allocated == part.clients.requested, "\(part.transport): \(part.clients.failureExamples)")
            for direction in [part.towardPeer, part.towardClient].compactMap({ $0 }) {
                #expect(direction.lost == 0 && direction.received > 0, "\(part.transport): \(direction.summary(duration: 1))")
            }
        }
        #expect(result.configuration.transport == "mix udp=70,tcp=20,tls=10")
        #expect(outcome.output.contains("  tls: "), "\(outcome.output)")
    }
}
