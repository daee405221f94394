import Measurement
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
    public init(parsing text: String) throws(TransportMixError) {
        var shares: [Share] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let transport = TURNTransport(rawValue: String(parts[0])) else { throw .form(String(entry)) }
            guard let weight = Int(parts[1]), weight > 0, weight <= 1_000_000 else { throw .weight(String(entry)) }
            guard !shares.contains(where: { $0.transport == transport }) else { throw .twice(transport.rawValue) }
            shares.append(Share(transport: transport, weight: weight))
        }
        self.shares = shares
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

public enum TransportMixError: Error, Sendable, Equatable, CustomStringConvertible {
    case form(String)
    case weight(String)
    case twice(String)

    public var description: String {
        switch self {
        case .form(let entry): "\(entry) is not TRANSPORT=WEIGHT: give udp, tcp, tls or dtls and a weight, e.g. udp=70,tcp=20,tls=10"
        case .weight(let entry): "\(entry): a weight is a whole number from 1 to 1000000"
        case .twice(let transport): "\(transport) is given twice: give each transport once"
        }
    }
}
