import RunModel
import TURNProtocol
import Testing

@testable import TURNRelay

/// The shaper's decisions, packet by packet, with no I/O: what the relay's loops carry out.
@Suite("relay shaper")
struct RelayShaperTests {
    typealias Shaper = RelayShaper<Int, Int>
    let client = RelayClient(transport: .udp, address: TransportAddress(ip: .loopbackV4, port: 5000))

    func shaper(
        _ impairment: String = "", pool: CapacityPool? = nil, bitsPerSecond: Int? = nil, packetsPerSecond: Int? = nil
    ) throws -> Shaper {
        Shaper(
            capacity: pool, bitsPerSecondPerAllocation: bitsPerSecond, packetsPerSecondPerAllocation: packetsPerSecond,
            impairment: try Impairment(parsing: impairment), seed: 1)
    }

    /// What a packet turned into: "now", "dropped", or each copy's packet and delay in µs.
    func outcome(
        _ shaper: inout Shaper, _ packet: Int, flow: Int = 0, at now: Duration = .zero, of client: RelayClient? = nil
    ) -> String {
        switch shaper.shape(bytes: 100, of: client ?? self.client, to: flow, now: now, packet: { packet }) {
        case .sendNow: "now"
        case .dropped: "dropped"
        case .lost: "lost"
        case .planned(let sends): sends.map { "\($0.packet)@\(Int($0.delay / .microseconds(1)))" }.joined(separator: " ")
        }
    }

    @Test func unimpairedPacketsLeaveAtOnce() throws {
        var shaper = try shaper()
        #expect(shaper.isTransparent)
        #expect((0..<100).allSatisfy { outcome(&shaper, $0) == "now" })
        #expect(shaper.statistics == RelayCounters())
    }

    /// reorder=100%: every other packet is held until its flow's next one has gone, a
    /// microsecond after it; flows do not wait for each other.
    @Test func heldPacketsSwapPlacesWithTheirSuccessor() throws {
        var shaper = try shaper("reorder=100%,delay=10ms")
        #expect(outcome(&shaper, 1) == "")
        #expect(outcome(&shaper, 100, flow: 1) == "", "another flow holds its own")
        #expect(outcome(&shaper, 2) == "2@10000 1@10001")
        #expect(outcome(&shaper, 3) == "")
        #expect(outcome(&shaper, 4) == "4@10000 3@10001")
        #expect(shaper.statistics.reorderedImpairment == 2)
        #expect(shaper.nextHoldDeadline == RelayShaper<Int, Int>.holdLimit)
        #expect(shaper.overdue(now: .milliseconds(499)).isEmpty)
        #expect(shaper.overdue(now: .milliseconds(500)).map { "\($0.0):\($0.1)" } == ["1:100"], "no successor: late, not reordered")
        #expect(shaper.nextHoldDeadline == nil)
        #expect(shaper.statistics.reorderedImpairment == 2)
    }

    @Test func lossAndDuplicationAreCounted() throws {
        var lossy = try shaper("loss=100%")
        #expect((0..<10).allSatisfy { outcome(&lossy, $0) == "lost" })
        #expect(lossy.statistics.droppedImpairment == 10)
        var doubled = try shaper("duplicate=100%")
        #expect(outcome(&doubled, 7) == "7@0 7@0")
        #expect(doubled.statistics.duplicatedImpairment == 1)
    }

    /// An allocation over its bandwidth is dropped and counted, before any impairment.
    @Test func bandwidthComesBeforeImpairment() throws {
        var shaper = try shaper("loss=100%", bitsPerSecond: 8_000)
        let outcomes = (0..<20).map { _ in outcome(&shaper, 0) }
        #expect(shaper.statistics.droppedBandwidth == 5, "1500 bytes of burst: 15 packets of 100")
        #expect(shaper.statistics.droppedImpairment == 15)
        #expect(outcomes.filter { $0 == "dropped" }.count == 5 && outcomes.filter { $0 == "lost" }.count == 15)
        shaper.forget { _ in true }
        _ = outcome(&shaper, 0)
        #expect(shaper.statistics.droppedBandwidth == 5, "a forgotten allocation starts with a full budget")
    }

    /// --max-allocation-pps 500: offered 2,000 a second for 10 s, each allocation passes its
    /// own 500 a second within 2% (after the 20 ms burst), whatever another allocation sends;
    /// the rest are dropped and counted, before any impairment.
    @Test func packetRateIsCappedPerAllocation() throws {
        var shaper = try shaper("loss=100%", packetsPerSecond: 500)
        let other = RelayClient(transport: .udp, address: TransportAddress(ip: .loopbackV4, port: 5001))
        var passed = [0, 0]
        for index in 0..<40_000 {
            let sender = index % 2
            let fate = outcome(&shaper, index, at: .microseconds(Int64(index) * 250), of: sender == 0 ? client : other)
            if fate == "lost" { passed[sender] += 1 }
        }
        #expect(passed.allSatisfy { abs(Double($0) / 10 - 500) <= 10 }, "\(passed) in 10 s")
        #expect(shaper.statistics.droppedPacketRate == 40_000 - passed[0] - passed[1])
        #expect(shaper.statistics.droppedImpairment == passed[0] + passed[1])
        #expect(shaper.statistics.droppedBandwidth == 0 && shaper.statistics.droppedCapacity == 0)
    }

    /// Both caps at once, 200 packets of 100 bytes a second for a second: the packet rate
    /// passes its 100 (and 2 of burst), the bandwidth of those the 2,500 bytes of its burst and
    /// rate; each drop is counted under the cap that refused it, and a forgotten allocation
    /// starts with full budgets.
    @Test func packetRateAndBandwidthAreCountedApart() throws {
        var shaper = try shaper(bitsPerSecond: 8_000, packetsPerSecond: 100)
        let passed = (0..<200).filter { outcome(&shaper, $0, at: .milliseconds(Int64($0) * 5)) == "now" }.count
        #expect((24...26).contains(passed), "\(passed)")
        #expect((97...103).contains(shaper.statistics.droppedPacketRate), "\(shaper.statistics)")
        #expect(shaper.statistics.droppedPacketRate + shaper.statistics.droppedBandwidth + passed == 200)
        shaper.forget { _ in true }
        #expect(outcome(&shaper, 0, at: .seconds(1)) == "now", "a forgotten allocation starts with a full budget")
    }

    /// --max-pps across two loops: offered 2.5 times the limit for 10 s, half through each,
    /// the two pass the limit together within 2%, and each drop is counted where it happened.
    @Test func oneCapacityHoldsAcrossLoops() throws {
        let pool = CapacityPool(packetsPerSecond: 2000)
        var loops = [try shaper(pool: pool), try shaper(pool: pool)]
        var admitted = 0
        for index in 0..<50_000 where outcome(&loops[index % 2], index, at: .microseconds(Int64(index) * 200)) == "now" {
            admitted += 1
        }
        #expect(abs(Double(admitted) / 10 - 2000) <= 40, "\(admitted) in 10 s")
        #expect(loops[0].statistics.droppedCapacity + loops[1].statistics.droppedCapacity == 50_000 - admitted)
        #expect(loops.allSatisfy { $0.statistics.droppedCapacity > 0 })
    }
}

/// The channels' routes the packet path reads, kept with the allocations by the core.
@Suite("channel routes")
struct ChannelRoutesTests {
    let client = RelayClient(transport: .udp, address: TransportAddress(ip: .loopbackV4, port: 5000))
    let relayed = TransportAddress(ip: .loopbackV4, port: 6000)
    let peer = TransportAddress(ip: .loopbackV4, port: 7000)
    let channel = ChannelNumber(rawValue: 0x4001)!

    func allocation(expiry: Duration, binding: Duration, permission: Duration) -> RelayAllocation {
        var allocation = RelayAllocation(
            username: "alice", relayedAddresses: [relayed], addressError: nil,
            transactionID: TransactionID.random(), expiry: expiry, lifetime: 600)
        allocation.channels[channel] = RelayAllocation.Binding(peer: peer, expiry: binding)
        allocation.channelsByPeer[peer] = channel
        allocation.permissions[peer.ip] = permission
        return allocation
    }

    /// Each way lives as long as everything it depends on: the allocation and the binding
    /// (and, from the peer, the permission); a removed allocation leaves no route.
    @Test func routesLastAsLongAsWhatTheyDependOn() {
        var routes = ChannelRoutes()
        let first = allocation(expiry: .seconds(600), binding: .seconds(300), permission: .seconds(200))
        routes.update(client, from: nil, to: first)
        #expect(routes.route(channel: channel, from: client, now: .seconds(299))! == (relayed, peer))
        #expect(routes.route(channel: channel, from: client, now: .seconds(300)) == nil)
        #expect(routes.recipient(from: peer, at: relayed, now: .seconds(199))! == (client, channel))
        #expect(routes.recipient(from: peer, at: relayed, now: .seconds(200)) == nil)
        #expect(routes.recipient(from: TransportAddress(ip: .loopbackV4, port: 7001), at: relayed, now: .zero) == nil)
        let refreshed = allocation(expiry: .seconds(600), binding: .seconds(900), permission: .seconds(900))
        routes.update(client, from: first, to: refreshed)
        #expect(routes.route(channel: channel, from: client, now: .seconds(599)) != nil)
        #expect(routes.route(channel: channel, from: client, now: .seconds(600)) == nil, "the allocation ends first")
        routes.update(client, from: refreshed, to: nil)
        #expect(routes.route(channel: channel, from: client, now: .zero) == nil)
        #expect(routes.recipient(from: peer, at: relayed, now: .zero) == nil)
    }
}
