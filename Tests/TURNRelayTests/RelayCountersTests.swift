import Foundation
import RunModel
import TURNRelay
import Testing

@Suite("relay counters")
struct RelayCountersTests {
    /// A result file written before a counter existed still loads, the counter 0.
    @Test func missingCountersReadAsZero() throws {
        let old = #"{"allocations": 2, "packetsToPeers": 7, "droppedImpairment": 3}"#
        let counters = try JSONDecoder().decode(RelayCounters.self, from: Data(old.utf8))
        #expect(counters.allocations == 2 && counters.packetsToPeers == 7 && counters.droppedImpairment == 3)
        #expect(counters.droppedReceiveQueue == 0 && counters.rejections == RelayRejections())
        let before = #"{"rejections": {"refused": 2, "challenged": 9}}"#
        let rejections = try JSONDecoder().decode(RelayCounters.self, from: Data(before.utf8)).rejections
        #expect(rejections.refused == 2 && rejections.challenged == 9 && rejections.overAllocateRate == 0)
    }

    @Test func roundTrip() throws {
        var counters = RelayCounters()
        counters.droppedReceiveQueue = 5
        counters.rejections.refused = 4
        counters.rejections.overAllocateRate = 3
        let decoded = try JSONDecoder().decode(RelayCounters.self, from: JSONEncoder().encode(counters))
        #expect(decoded == counters)
    }
}
