import LoadEngine
import TURNProtocol
import Testing

@Suite("transport mix")
struct TransportMixTests {
    @Test func parsesWeights() throws {
        let mix = try TransportMix(parsing: "udp=70,tcp=20,tls=10,dtls=5")
        #expect(mix.transports == [.udp, .tcp, .tls, .dtls] && mix.shares.map(\.weight) == [70, 20, 10, 5])
        #expect(mix.description == "udp=70,tcp=20,tls=10,dtls=5")
    }

    @Test(arguments: [
        ("udp", TransportMixError.form("udp")), ("quic=5", .form("quic=5")), ("udp=0", .weight("udp=0")),
        ("udp=x", .weight("udp=x")), ("udp=5,udp=6", .twice("udp")), ("", .form("")),
    ])
    func refusesWhatIsNotAMix(_ text: String, _ error: TransportMixError) {
        #expect(throws: error) { try TransportMix(parsing: text) }
    }

    /// Each call's transport follows the weights over many calls, and is the same whichever
    /// process draws it: it depends only on the call and the seed.
    @Test func callsFollowTheWeightsAndEveryoneAgrees() throws {
        let mix = try TransportMix(parsing: "udp=70,tcp=20,tls=10")
        let drawn = (0..<20_000).map { mix.transport(ofCall: $0, seed: 4) }
        for (transport, share) in [(TURNTransport.udp, 0.7), (.tcp, 0.2), (.tls, 0.1)] {
            let fraction = Double(drawn.filter { $0 == transport }.count) / 20_000
            #expect(abs(fraction - share) < 0.015, "\(transport): \(fraction)")
        }
        #expect((0..<20_000).map { mix.transport(ofCall: $0, seed: 4) } == drawn)
        #expect((0..<100).map { mix.transport(ofCall: $0, seed: 5) } != Array(drawn.prefix(100)))
    }
}
