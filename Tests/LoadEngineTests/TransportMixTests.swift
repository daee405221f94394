import LoadEngine
import RunModel
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
        ("udp", KeyedCountsError.Problem.form("udp")), ("quic=5", .form("quic=5")), ("udp=0", .count("udp=0")),
        ("udp=x", .count("udp=x")), ("udp=5,udp=6", .twice("udp")), ("", .form("")),
    ])
    func refusesWhatIsNotAMix(_ text: String, _ problem: KeyedCountsError.Problem) {
        #expect(throws: KeyedCountsError(problem, TransportMix.form)) { try TransportMix(parsing: text) }
    }

    @Test func refusalsSayWhatAMixIs() {
        #expect(
            KeyedCountsError(.form("quic=5"), TransportMix.form).description
                == "quic=5 is not TRANSPORT=WEIGHT: give udp, tcp, tls, dtls and a weight, e.g. udp=70,tcp=20,tls=10")
        #expect(KeyedCountsError(.count("udp=0"), TransportMix.form).description == "udp=0: a weight is a whole number from 1 to 1000000")
        #expect(KeyedCountsError(.twice("udp"), TransportMix.form).description == "udp is given twice: give each transport once")
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
