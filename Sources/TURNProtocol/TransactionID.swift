/// The 96-bit STUN transaction id, held as three words so that it is hashable and compared
/// without allocating.
public struct TransactionID: Hashable, Sendable {
    public var high: UInt32
    public var middle: UInt32
    public var low: UInt32

    public init(high: UInt32, middle: UInt32, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// 12 bytes in network order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var words = [UInt32](repeating: 0, count: 3)
        for (index, byte) in bytes.enumerated() {
            words[index / 4] = words[index / 4] << 8 | UInt32(byte)
        }
        self.init(high: words[0], middle: words[1], low: words[2])
    }

    /// A fresh id from the system's cryptographic generator (RFC 8489 §6 wants them unpredictable).
    public static func random() -> TransactionID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> TransactionID {
        TransactionID(high: generator.next(), middle: generator.next(), low: generator.next())
    }

    public var bytes: [UInt8] {
        [high, middle, low].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }
}

extension TransactionID: CustomStringConvertible {
    public var description: String { hex(high, digits: 8) + hex(middle, digits: 8) + hex(low, digits: 8) }
}
