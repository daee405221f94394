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

    /// `invalid=200,binding=100`: each kind once, a rate of 1 to 100000 a second.
    public static let form = KeyedCounts.Form(
        pattern: "KIND=RATE", keyNoun: "kind", keys: Kind.allCases.map(\.rawValue), countNoun: "rate",
        countRule: "a whole number of datagrams a second from 1 to 100000", counts: 1...100_000,
        example: "invalid=200,wrong-password=50")

    public init(parsing text: String, windowSeconds: Int = 2) throws(KeyedCountsError) {
        shares = try KeyedCounts.parse(text, as: Self.form, keys: Kind.self).map { Share(kind: $0.key, rate: $0.count) }
        self.windowSeconds = windowSeconds
    }

    /// Whether the run's second `second` is in an abusive window: the first window is quiet,
    /// so that the calls set up undisturbed.
    public func isAbusive(second: Int) -> Bool { second >= 0 && (second / windowSeconds) % 2 == 1 }

    public var description: String { shares.map { "\($0.kind.rawValue)=\($0.rate)" }.joined(separator: ",") }
}
