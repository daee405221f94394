import Measurement
import RunModel
import TURNProtocol

/// Several transports in one run against one endpoint (`--mix udp=70,tcp=20,tls=10`): each
/// call's transport drawn from the weights by its global index and the seed, so that shards,
/// and the runs of a comparison, give every call the same one.
public struct TransportMix: Sendable, Equatable, CustomStringConvertible {
    public struct Share: Sendable, Equatable {
        public var transport: TURNTransport
        public var weight: Int
    }

    public let shares: [Share]

    /// `udp=70,tcp=20,tls=10,dtls=5`: whole weights, each transport once.
    public static let form = KeyedCounts.Form(
        pattern: "TRANSPORT=WEIGHT", keyNoun: "transport", keys: ["udp", "tcp", "tls", "dtls"], countNoun: "weight",
        countRule: "a whole number from 1 to 1000000", counts: 1...1_000_000, example: "udp=70,tcp=20,tls=10")

    public init(parsing text: String) throws(KeyedCountsError) {
        shares = try KeyedCounts.parse(text, as: Self.form, keys: TURNTransport.self).map { Share(transport: $0.key, weight: $0.count) }
    }

    public var transports: [TURNTransport] { shares.map(\.transport) }

    /// The transport of call `index` (a client in echo and sink, two in pair).
    public func transport(ofCall index: Int, seed: UInt64) -> TURNTransport {
        var random = SplitMix64(seed: seed ^ 0x7A45_5F00 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        var draw = Int(random.unit() * Double(shares.reduce(0) { $0 + $1.weight }))
        for share in shares {
            if draw < share.weight { return share.transport }
            draw -= share.weight
        }
        return shares[shares.count - 1].transport
    }

    public var description: String { shares.map { "\($0.transport.rawValue)=\($0.weight)" }.joined(separator: ",") }
}
