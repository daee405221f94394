import Campaign
import RunModel
import TURNProtocol
import Testing

/// Which addresses the search of the rate of new peers uses, and what a relay that forbids
/// them does to the search.
@Suite("new peer addresses")
struct NewPeerAddressesTests {
    /// Toward a loopback sink: 127.0.0.0/8 addresses at the sink's port, none in 127.0.0.0/16
    /// and none a .0 or .255, every one new.
    @Test func loopbackPeersAreNewAddressesTheSinkHears() throws {
        let peers = NewPeerAddresses(sink: TransportAddress("127.0.0.1:40000")!)
        #expect(peers.delivers)
        #expect(peers.address(0) == TransportAddress("127.1.0.1:40000"))
        #expect(peers.address(253) == TransportAddress("127.1.0.254:40000"))
        #expect(peers.address(254) == TransportAddress("127.1.1.1:40000"))
        let some = (0..<5000).compactMap { peers.address($0 * 97) }
        #expect(Set(some.map(\.ip)).count == some.count)
        for peer in some {
            guard case .v4(let word) = peer.ip else {
                Issue.record("\(peer)")
                continue
            }
            #expect(word >> 24 == 127 && (word >> 16) & 0xFF >= 1 && ![0, 255].contains(word & 0xFF), "\(peer)")
        }
    }

    /// Elsewhere: documentation addresses, nothing to send to, and IPv4 has three /24s of them.
    @Test func remotePeersAreDocumentationAddresses() {
        let v4 = NewPeerAddresses(sink: TransportAddress("198.51.100.7:40000")!)
        #expect(!v4.delivers && v4.count == 762)
        #expect(v4.address(0) == TransportAddress("192.0.2.1:40000"))
        #expect(v4.address(254) == TransportAddress("198.51.100.1:40000"))
        #expect(v4.address(761) == TransportAddress("203.0.113.254:40000"))
        #expect(v4.address(762) == nil)
        let v6 = NewPeerAddresses(sink: TransportAddress("[::1]:40000")!)
        #expect(!v6.delivers, "::1 is one address")
        #expect(v6.address(0) == TransportAddress("[2001:db8::1]:40000"))
        #expect(v6.description.contains("2001:db8::/32"))
    }

    /// A relay that forbids the peers (403 for every one) ends the search at its first step:
    /// no rate would change that, and it is no cap.
    @Test func forbiddenPeersEndTheSearch() {
        var search = LimitSearch(unit: "peers/s", start: 5, ceiling: 2000)
        var step = LimitStep(offered: 5, sent: 5, delivered: 0)
        step.refused = ["403": 5]
        search.record(step)
        #expect(search.next == nil)
        #expect(search.finding.verdict == .forbidden && search.finding.cap == nil)
    }

    /// Refusals of another kind are loss like any other: 508s over a rate break the step.
    @Test func refusedOverARateBreaksTheStep() {
        var search = LimitSearch(unit: "peers/s", start: 5, ceiling: 2000)
        search.record(LimitStep(offered: 5, sent: 5, delivered: 5))
        var step = LimitStep(offered: 10, sent: 10, delivered: 0)
        step.refused = ["508": 10]
        search.record(step)
        #expect(abs((search.next ?? 0) - 50.0.squareRoot()) < 1e-9, "between the clean 5 and the broken 10")
        #expect(search.finding.verdict == .cap)
    }
}
