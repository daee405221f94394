import Testing

@testable import Measurement

@Suite("SendLog")
struct SendLogTests {
    @Test func remembersRecentSendsAcrossTheSequenceWrap() {
        var log = SendLog(capacity: 1024)
        let start: Int64 = 5_000_000_000_000 // a monotonic clock long after boot
        for index in 0..<3000 {
            log.record(sequence: UInt16(truncatingIfNeeded: 64_000 + index), at: start + Int64(index) * 20_000_000)
        }
        // The last 1024 packets (indices 1976..<3000) are known, wrap included.
        #expect(log.sentAt(sequence: UInt16(truncatingIfNeeded: 64_000 + 2999)) == start + 2999 * 20_000_000)
        #expect(log.sentAt(sequence: UInt16(truncatingIfNeeded: 64_000 + 1976)) == start + 1976 * 20_000_000)
        #expect(log.sentAt(sequence: 65_535) == nil) // index 1535: its slot now holds a later packet
    }

    @Test func unknownSequenceIsNil() {
        var log = SendLog(capacity: 16)
        #expect(log.sentAt(sequence: 3) == nil)
        log.record(sequence: 3, at: 100)
        #expect(log.sentAt(sequence: 3) == 100)
        #expect(log.sentAt(sequence: 19) == nil) // same slot, different sequence
        log.record(sequence: 19, at: 200)
        #expect(log.sentAt(sequence: 3) == nil)
        #expect(log.sentAt(sequence: 19) == 200)
    }
}
