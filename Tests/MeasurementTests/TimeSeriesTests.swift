import Foundation
import Testing

@testable import Measurement

@Suite("TimeSeries")
struct TimeSeriesTests {
    static func distribution(_ milliseconds: [Double]) -> Distribution {
        var distribution = Distribution()
        for value in milliseconds { distribution.record(Int64(value * 1e6)) }
        return distribution
    }

    @Test func shardsMergeBySecond() throws {
        let delaysA = (1...100).map { Double($0) / 2 }
        let delaysB = (1...50).map { Double($0) * 3 }
        var shardA = TimeSeries()
        try shardA.add(SecondSample(second: 1, sent: 50, received: 49, lost: 1, delay: Self.distribution(delaysA), activeClients: 1))
        try shardA.add(SecondSample(second: 0, sent: 50, received: 50, activeClients: 1))
        var shardB = TimeSeries()
        try shardB.add(SecondSample(second: 2, sent: 100, received: 100, lost: 0, activeClients: 2))
        try shardB.add(
            SecondSample(second: 1, sent: 100, received: 97, lost: 3, delay: Self.distribution(delaysB), activeClients: 2, errors: 1))

        var merged = shardA
        try merged.merge(shardB)
        #expect(merged.samples.map(\.second) == [0, 1, 2])
        let second1 = merged.samples[1]
        #expect(second1.sent == 150 && second1.received == 146 && second1.lost == 4)
        #expect(second1.activeClients == 3 && second1.errors == 1)
        #expect(try Distribution(second1.delay) == Self.distribution(delaysA + delaysB))

        let decoded = try JSONDecoder().decode(TimeSeries.self, from: JSONEncoder().encode(merged))
        #expect(decoded == merged)
    }

    @Test func csvHasAHeaderAndOneRowPerSecond() throws {
        var series = TimeSeries()
        try series.add(
            SecondSample(
                second: 0, sent: 50, received: 49, lost: 1, bytesSent: 5600, bytesReceived: 5488,
                delay: Self.distribution(Array(repeating: 20, count: 99) + [30]),
                rtt: Self.distribution(Array(repeating: 41, count: 100)),
                activeClients: 1, errors: 0))
        var churning = SecondSample(second: 1, sent: 50, activeClients: 1, errors: 2)
        churning.allocations = 3
        churning.releases = 2
        try series.add(churning)

        let lines = try series.csv().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty) // header, two rows, final newline
        #expect(
            lines[0]
                == "second,sent,received,lost,bytes_sent,bytes_received,delay_p50_ms,delay_p99_ms,"
                + "rtt_p50_ms,rtt_p99_ms,jitter_p99_ms,active_clients,errors,allocations,releases"
        )

        let cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(cells[0...5]) == ["0", "50", "49", "1", "5600", "5488"])
        // Histogram quantisation at 20 ms is 16 µs; three decimals show microseconds.
        for (cell, expected) in [(cells[6], 20.0), (cells[7], 20.0), (cells[8], 41.0), (cells[9], 41.0)] {
            let value = try #require(Double(cell))
            #expect(value >= expected && value <= expected * 1.001, "\(cell)")
            #expect(cell.split(separator: ".").last?.count == 3)
        }
        // Churn only with calls that come and go.
        #expect(cells[10] == "" && cells[11] == "1" && cells[12] == "0" && cells[13] == "" && cells[14] == "")
        #expect(lines[2] == "1,50,0,0,0,0,,,,,,1,2,3,2")
    }
}
