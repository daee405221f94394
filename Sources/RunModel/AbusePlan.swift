/// Hostile traffic sent beside the measured calls (`--abuse invalid=200,wrong-password=50`):
/// each kind at its rate a second from sockets of its own, in alternate windows (quiet first),
/// so that the calls' figures with and without it come from one run, side by side.
public struct AbusePlan: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Datagrams that are neither STUN nor ChannelData, and STUN headers with a broken cookie.
        case invalid
        /// Allocate requests without credentials: each answered with a 401 challenge.
        case unauthenticated
        /// Allocate requests with a wrong password (a 401 flood).
        case wrongPassword = "wrong-password"
        /// ChannelData on channels no one bound.
        case unboundChannel = "unbound-channel"
        /// Binding requests, which a relay answers to anyone.
        case binding
    }

    public struct Share: Sendable, Equatable {
        public var kind: Kind
        /// Datagrams a second while abusive.
        public var rate: Int
    }

    public let shares: [Share]
    /// The length of each window, quiet and abusive alike, in whole seconds.
    public var windowSeconds: Int

    public static let rates = 1...100_000

    /// `invalid=200,binding=100`: each kind once, a rate of 1 to 100000 a second.
    public init(parsing text: String, windowSeconds: Int = 2) throws(AbusePlanError) {
        var shares: [Share] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])) else { throw .form(String(entry)) }
            guard let rate = Int(parts[1]), Self.rates.contains(rate) else { throw .rate(String(entry)) }
            guard !shares.contains(where: { $0.kind == kind }) else { throw .twice(kind.rawValue) }
            shares.append(Share(kind: kind, rate: rate))
        }
        self.shares = shares
        self.windowSeconds = windowSeconds
    }

    /// Whether the run's second `second` is in an abusive window: the first window is quiet,
    /// so that the calls set up undisturbed.
    public func isAbusive(second: Int) -> Bool { second >= 0 && (second / windowSeconds) % 2 == 1 }

    public var description: String { shares.map { "\($0.kind.rawValue)=\($0.rate)" }.joined(separator: ",") }
}

public enum AbusePlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case form(String)
    case rate(String)
    case twice(String)

    public var description: String {
        switch self {
        case .form(let entry):
            "\(entry) is not KIND=RATE: give " + AbusePlan.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                + " and datagrams a second, e.g. invalid=200,wrong-password=50"
        case .rate(let entry): "\(entry): a rate is a whole number of datagrams a second from 1 to 100000"
        case .twice(let kind): "\(kind) is given twice: give each kind once"
        }
    }
}
