import Testing

@testable import LoadEngine

@Suite("pacing and bookkeeping")
struct PacingTests {
    /// However many clients join, their phases cover the frame interval evenly: no gap
    /// between neighbours is more than 2.7 times the mean (the golden-ratio sequence's bound
    /// is 2.618), so sends never bunch up.
    @Test(arguments: [2, 10, 137, 1000, 5000])
    func phasesSpreadEvenly(_ clients: Int) {
        let interval: Int64 = 20_000_000
        let phases = (0..<clients).map { LoadEngine.phase($0, interval: interval) }.sorted()
        #expect(phases.allSatisfy { (0..<interval).contains($0) })
        let gaps = zip(phases.dropFirst(), phases).map { $0 - $1 } + [interval - phases.last! + phases.first!]
        let mean = Double(interval) / Double(clients)
        #expect(Double(gaps.max()!) <= 2.7 * mean, "largest gap \(gaps.max()!) ns against a mean of \(mean) ns")
    }

    /// /proc/net/udp as Linux 6.1 prints it: the drops of the sockets on our ports only.
    @Test func socketDropsReadFromProcNetUDP() {
        let table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              1: 0100007F:C350 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1001 2 0000000000000000 17
              2: 0100007F:C351 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1002 2 0000000000000000 0
              3: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1003 2 0000000000000000 99
            """
        #expect(SocketDrops.count(in: table, ports: [50_000, 50_001]) == 17)
        #expect(SocketDrops.count(in: table, ports: [53]) == 99)
        #expect(SocketDrops.count(in: table, ports: [1]) == 0)
    }

    /// What each packet costs on the wire beyond the bytes a socket was given.
    @Test func wireOverhead() {
        #expect(WireOverhead(transport: .udp, ipv6: false).perPacket == 28)
        #expect(WireOverhead(transport: .udp, ipv6: true).perPacket == 48)
        #expect(WireOverhead(transport: .tcp, ipv6: false).perPacket == 52)
        #expect(WireOverhead(transport: .tls, ipv6: false).perPacket == 74)
        #expect(WireOverhead(transport: .dtls, ipv6: false).perPacket == 65)
    }
}
