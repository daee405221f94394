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

    /// 96 bits from two 64-bit draws: each draw of the system generator is a system call, and
    /// one per 32-bit word made id generation the largest cost of encoding a request.
    public static func random(using generator: inout some RandomNumberGenerator) -> TransactionID {
        let first: UInt64 = generator.next()
        let second: UInt64 = generator.next()
        return TransactionID(
            high: UInt32(truncatingIfNeeded: first >> 32), middle: UInt32(truncatingIfNeeded: first),
            low: UInt32(truncatingIfNeeded: second))
    }

    public var bytes: [UInt8] {
        [high, middle, low].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
    }
}

extension TransactionID: CustomStringConvertible {
    public var description: String { hex(high, digits: 8) + hex(middle, digits: 8) + hex(low, digits: 8) }
}
