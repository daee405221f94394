import Measurement

/// The hold after a saturation search: a share of the clean capacity, long enough at the
/// clean step's rate to push a volume out of the endpoint (the quarterly proof that there is
/// no cliff below the planned peak).
public struct HoldPlan: Sendable, Equatable {
    /// Of the clean capacity, e.g. 0.8.
    public var share: Double
    /// Wire bytes to push out of the endpoint, both directions.
    public var bytes: Double
    /// Each call is two clients, so the hold takes whole pairs.
    public var pairs: Bool
    /// The longest a load may last.
    public var longest: Duration

    public init(share: Double, bytes: Double, pairs: Bool, longest: Duration) {
        self.share = share
        self.bytes = bytes
        self.pairs = pairs
        self.longest = longest
    }

    public struct Load: Sendable, Equatable {
        public var clients: Int
        public var duration: Duration

        public init(clients: Int, duration: Duration) {
            self.clients = clients
            self.duration = duration
        }
    }

    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The hold's clients and time after a clean step of `capacity` clients that delivered
    /// `deliveredWireBitsPerSecond`.
    public func load(capacity: Int, deliveredWireBitsPerSecond: Double) -> Result<Load, Refusal> {
        var clients = Int((Double(capacity) * share).rounded(.down))
        if pairs { clients -= clients % 2 }
        clients = max(clients, pairs ? 2 : 1)
        let bytesPerClientSecond = deliveredWireBitsPerSecond / 8 / Double(capacity)
        let seconds = bytes / (bytesPerClientSecond * Double(clients))
        guard seconds.isFinite, seconds > 0 else {
            return .failure(Refusal(description: "hold: the clean step delivered nothing, so no time pushes the volume"))
        }
        guard seconds <= Double(longest.components.seconds) else {
            return .failure(
                Refusal(
                    description: "hold: \(clients) calls would take \(DecimalText.short(seconds / 86_400)) days to push "
                        + "\(DecimalText.short(bytes / 1e9, decimals: 2)) GB, more than the "
                        + "\(DecimalText.short(Double(longest.components.seconds) / 86_400)) days a load may last: "
                        + "give a smaller --hold-volume"
                ))
        }
        return .success(Load(clients: clients, duration: .milliseconds(Int64((seconds * 1000).rounded(.up)))))
    }
}
