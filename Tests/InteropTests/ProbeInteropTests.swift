import Foundation
import TestSupport
import Testing

/// `turnload probe`, the binary, against a real coturn on loopback.
@Suite("probe against coturn", .serialized)
struct ProbeInteropTests {
    struct Outcome {
        var status: Int32
        var results: [[String: Any]]
        var standardError: String
    }

    /// Runs `turnload probe … --json` with the environment given and decodes its lines.
    func probe(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("turnload")
        process.arguments = ["probe", "--json"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let results = try String(decoding: output, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        return Outcome(status: process.terminationStatus, results: results, standardError: String(decoding: error, as: UTF8.self))
    }

    func uris(_ coturn: Coturn) -> [String] {
        [
            "turn:127.0.0.1:\(coturn.udpPort)?transport=udp", "turn:127.0.0.1:\(coturn.udpPort)?transport=tcp",
            "turns:127.0.0.1:\(coturn.tlsPort)?transport=tcp", "turns:127.0.0.1:\(coturn.tlsPort)?transport=udp",
        ]
    }

    func steps(_ result: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (result["steps"] as? [[String: Any]] ?? []).map { ($0["step"] as! String, $0) })
    }

    func expectPassed(_ outcome: Outcome, count: Int) {
        #expect(outcome.status == 0, "\(outcome.results)")
        #expect(outcome.results.count == count)
        for result in outcome.results {
            #expect(result["passed"] as? Bool == true, "\(result)")
            #expect((result["software"] as? String)?.hasPrefix("Coturn") == true)
            let steps = steps(result)
            #expect(
                Set(steps.keys) == ["resolve", "connect", "binding", "allocate", "permission", "channel", "echo", "refresh", "release"])
            #expect(steps.values.allSatisfy { $0["milliseconds"] is Double })
            let echo = result["echo"] as? [String: Any]
            #expect(echo?["received"] as? Int == 20)
        }
    }

    @Test func staticCredentialsOverUDPTCPTLSAndDTLS() throws {
        let coturn = try Coturn()
        let outcome = try probe(
            uris(coturn) + ["--user", Coturn.user, "--password-env", "TL_PASSWORD", "--insecure"],
            environment: ["TL_PASSWORD": Coturn.password])
        expectPassed(outcome, count: 4)
        #expect(!outcome.standardError.contains(Coturn.password))
    }

    @Test func sendIndicationsInsteadOfChannels() throws {
        let coturn = try Coturn()
        let outcome = try probe(
            [
                "turn:127.0.0.1:\(coturn.udpPort)", "turn:127.0.0.1:\(coturn.udpPort)?transport=tcp",
                "--indications", "--user", Coturn.user, "--password-env", "TL_PASSWORD",
            ],
            environment: ["TL_PASSWORD": Coturn.password])
        #expect(outcome.status == 0, "\(outcome.results)")
        for result in outcome.results {
            #expect(result["passed"] as? Bool == true)
            #expect(steps(result)["channel"] == nil)
            #expect((result["echo"] as? [String: Any])?["received"] as? Int == 20)
        }
    }

    @Test func sharedSecretCredentials() throws {
        let coturn = try Coturn(authentication: .sharedSecret)
        let outcome = try probe(
            uris(coturn) + ["--user", "load", "--secret-env", "TL_SECRET", "--insecure"],
            environment: ["TL_SECRET": Coturn.secret])
        expectPassed(outcome, count: 4)
    }

    @Test func trustedThroughCAFile() throws {
        let coturn = try Coturn()
        let outcome = try probe(
            [
                "turns:localhost:\(coturn.tlsPort)", "turns:localhost:\(coturn.tlsPort)?transport=udp",
                "--ca-file", coturn.certificate.path,
                "--user", Coturn.user, "--password-env", "TL_PASSWORD",
            ],
            environment: ["TL_PASSWORD": Coturn.password])
        expectPassed(outcome, count: 2)
    }

    func failure(_ outcome: Outcome, at step: String) -> String {
        #expect(outcome.status == 1)
        let result = outcome.results.first ?? [:]
        #expect(result["passed"] as? Bool == false)
        return steps(result)[step]?["error"] as? String ?? "step \(step) did not fail: \(result)"
    }

    @Test func wrongPassword() throws {
        let coturn = try Coturn()
        let outcome = try probe(
            ["turn:127.0.0.1:\(coturn.udpPort)", "--user", Coturn.user, "--password-env", "TL_PASSWORD"],
            environment: ["TL_PASSWORD": "not-the-password"])
        #expect(
            failure(outcome, at: "allocate").contains("401 Unauthorized after sending credentials: the password or shared secret is wrong"))
    }

    @Test func refusedLoopbackPeer() throws {
        let coturn = try Coturn(loopbackPeers: false)
        let outcome = try probe(
            ["turn:127.0.0.1:\(coturn.udpPort)", "--user", Coturn.user, "--password-env", "TL_PASSWORD"],
            environment: ["TL_PASSWORD": Coturn.password])
        let error = failure(outcome, at: "permission")
        #expect(error.contains("403"))
        #expect(error.contains("the relay refuses peer 127.0.0.1"))
    }

    @Test func untrustedCertificate() throws {
        let coturn = try Coturn()
        let outcome = try probe(
            ["turns:127.0.0.1:\(coturn.tlsPort)", "--user", Coturn.user, "--password-env", "TL_PASSWORD"],
            environment: ["TL_PASSWORD": Coturn.password])
        #expect(failure(outcome, at: "connect") == "TLS: certificate for 127.0.0.1 is not trusted (use --ca-file or --insecure)")
        let overDTLS = try probe(
            ["turns:127.0.0.1:\(coturn.tlsPort)?transport=udp", "--user", Coturn.user, "--password-env", "TL_PASSWORD"],
            environment: ["TL_PASSWORD": Coturn.password])
        #expect(
            failure(overDTLS, at: "connect")
                == "DTLS: certificate for 127.0.0.1 is not trusted: self-signed certificate (use --ca-file or --insecure)")
    }

    /// A TCP or TLS server that closes every connection as soon as it has accepted it (and
    /// shaken hands): each waiting request ends, within the timeout, and the row says why.
    /// Before, a request sent as the close arrived waited forever, ignoring --timeout and SIGINT.
    @Test(arguments: [
        ("turn:127.0.0.1:%d?transport=tcp", "connection closed by the server after it accepted it"),
        ("turns:127.0.0.1:%d", "connection closed by the server after the handshake"),
    ])
    func serverClosingEveryConnection(_ uriFormat: String, _ reason: String) async throws {
        let certificate = try ThrowawayCertificate()
        let port = try LoopbackAddress.freePort()
        let server = try RelayInteropTests.spawn(
            "/usr/bin/python3",
            [
                "-c", Self.closingServer, "\(port)", certificate.certificate,
                certificate.key, uriFormat.hasPrefix("turns") ? "tls" : "tcp",
            ])
        defer { RelayInteropTests.kill(server) }
        try await Self.waitUntilListening(port)
        // The race hit 4 tries in 10.
        for _ in 0..<6 {
            let outcome = try await TestProcess.run(
                productsDirectory.appendingPathComponent("turnload"),
                [
                    "probe", String(format: uriFormat, port), "--insecure", "--timeout", "3", "--user", "u", "--password-env",
                    "TL_PASSWORD",
                ], environment: ["TL_PASSWORD": "p"], limit: .seconds(30))
            #expect(outcome.status == 1, "\(outcome.output)\n\(outcome.errors)")
            #expect(outcome.output.contains(reason), "\(outcome.output)")
            #expect(!outcome.output.contains("I/O on closed channel"), "\(outcome.output)")
        }
    }

    static func waitUntilListening(_ port: Int) async throws {
        for _ in 0..<50 {
            if let socket = LoopbackTCP.connected(toPort: port) {
                close(socket)
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CoturnFailed(reason: "the closing server did not listen on \(port)")
    }

    /// Accepts on 127.0.0.1:PORT and closes each connection at once, after a TLS handshake
    /// when the last argument says tls.
    static let closingServer = """
        import socket, ssl, sys
        port, certificate, key, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        listener = socket.create_server(("127.0.0.1", port))
        while True:
            connection, _ = listener.accept()
            if mode == "tls":
                try:
                    connection = context.wrap_socket(connection, server_side=True)
                except (ssl.SSLError, OSError):
                    pass
            connection.close()
        """

    /// SIGINT while echoing: the probe stops at once, prints what it has, marked, and exits 130.
    @Test func interruptedProbe() async throws {
        let coturn = try Coturn()
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try await TestProcess.run(
            productsDirectory.appendingPathComponent("turnload"),
            [
                "probe", "turn:127.0.0.1:\(coturn.udpPort)", "--packets", "1000", "--user", Coturn.user, "--password-env", "TL_PASSWORD",
            ], environment: ["TL_PASSWORD": Coturn.password], limit: .seconds(40), interruptAfter: .seconds(3))
        #expect(outcome.status == 130, "\(outcome.output)\n\(outcome.errors)")
        #expect(clock.now - started < .seconds(8))
        #expect(outcome.output.contains("INTERRUPTED"), "\(outcome.output)")
        #expect(outcome.output.contains("✗ echo: interrupted"), "\(outcome.output)")
    }

    var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// turnload's relay with a relay address of each family: the probe asks for an IPv6
    /// relayed address over IPv4 and echoes through it to an IPv6 peer, then for both in one
    /// allocation (RFC 8656 ADDITIONAL-ADDRESS-FAMILY).
    @Test(.enabled(if: ipv6LoopbackWorks(), "::1 cannot be bound here"))
    func relayedAddressFamilies() async throws {
        let relay = try await TurnloadRelay(
            credentials: ["--user", "alice", "--password-env", "TL_PASSWORD", "--relay-ip", "127.0.0.1", "--relay-ip", "::1"],
            environment: ["TL_PASSWORD": "p"])
        let arguments = ["turn:127.0.0.1:\(relay.port)", "--user", "alice", "--password-env", "TL_PASSWORD"]
        let ipv6 = try probe(arguments + ["--relay-family", "ipv6"], environment: ["TL_PASSWORD": "p"])
        #expect(ipv6.status == 0, "\(ipv6.results) \(ipv6.standardError)")
        let single = try #require(ipv6.results.first)
        #expect((single["relayedAddress"] as? String)?.hasPrefix("[::1]:") == true, "\(single)")
        #expect((single["peer"] as? String)?.hasPrefix("[::1]:") == true, "\(single)")
        #expect((single["echo"] as? [String: Any])?["received"] as? Int == 20)

        let both = try probe(arguments + ["--relay-family", "both"], environment: ["TL_PASSWORD": "p"])
        #expect(both.status == 0, "\(both.results) \(both.standardError)")
        let dual = try #require(both.results.first)
        let relayed = dual["relayedAddresses"] as? [String] ?? []
        #expect(relayed.count == 2 && relayed[0].hasPrefix("127.0.0.1:") && relayed[1].hasPrefix("[::1]:"), "\(dual)")
    }

    /// A socket that takes datagrams and never answers: each step waits out its timeout.
    @Test func silentPortTimesOut() throws {
        let silent = try LoopbackUDPSocket()
        let started = Date()
        let outcome = try probe(
            ["turn:127.0.0.1:\(silent.port)", "--user", "u", "--password-env", "TL_PASSWORD", "--timeout", "2"],
            environment: ["TL_PASSWORD": "p"])
        #expect(failure(outcome, at: "allocate") == "no answer from 127.0.0.1:\(silent.port)/udp after 2.0 s (2 retransmissions)")
        #expect(Date().timeIntervalSince(started) < 15, "the probe must not hang past its timeouts")
    }

    /// Nothing on the port: the ICMP answer fails each step at once, with the reason, instead
    /// of 10 s of retransmissions per step.
    @Test func closedPortIsUnreachable() throws {
        let port = try LoopbackAddress.freePort()
        let outcome = try probe(
            ["turn:127.0.0.1:\(port)", "--user", "u", "--password-env", "TL_PASSWORD"],
            environment: ["TL_PASSWORD": "p"])
        let reason = "nothing listens on 127.0.0.1:\(port)/udp (ICMP port unreachable): is the relay running, is the port right?"
        #expect(failure(outcome, at: "binding") == reason)
        #expect(failure(outcome, at: "allocate") == reason)
        let steps = steps(try #require(outcome.results.first))
        let milliseconds = ["binding", "allocate"].compactMap { steps[$0]?["milliseconds"] as? Double }
        #expect(milliseconds.count == 2 && milliseconds.allSatisfy { $0 < 5000 }, "no retransmissions after ICMP: \(milliseconds)")
    }
}
