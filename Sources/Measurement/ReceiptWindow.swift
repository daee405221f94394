/// Which of the last 1024 extended sequence numbers have arrived: a fixed 128-byte bitmap
/// (no heap storage), used to spot duplicates and to find loss runs as the window slides.
@usableFromInline
struct ReceiptWindow: Sendable {
    @usableFromInline static let size: Int64 = 1024

    @usableFromInline var words = SIMD16<UInt64>()

    @inlinable init() {}

    @inlinable
    func contains(_ extendedSequence: Int64) -> Bool {
        let bit = Int(extendedSequence & (Self.size - 1))
        return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    @inlinable
    mutating func insert(_ extendedSequence: Int64) {
        let bit = Int(extendedSequence & (Self.size - 1))
        words[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    @inlinable
    mutating func remove(_ extendedSequence: Int64) {
        let bit = Int(extendedSequence & (Self.size - 1))
        words[bit >> 6] &= ~(1 << UInt64(bit & 63))
    }

    @inlinable
    mutating func removeAll() {
        words = SIMD16()
    }
}
