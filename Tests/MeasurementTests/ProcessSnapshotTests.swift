import Measurement
import Testing

@Suite struct ProcessSnapshotTests {
    /// A name with a space and a parenthesis of its own (`comm` may hold either), then the
    /// fields proc(5) lists: utime 1234 and stime 567 are the 14th and 15th.
    static let stat = "4242 (turn load) x) S 1 4242 4242 0 -1 4194560 5120 0 0 0 1234 567 0 0 20 0 9 0 3141 2147483648 3072"
    static let status = "Name:\tturnload\nState:\tS (sleeping)\nVmPeak:\t  204800 kB\nVmRSS:\t   51200 kB\nThreads:\t9\n"

    @Test func readsWhatLinuxWrites() throws {
        let snapshot = try #require(ProcessSnapshot(stat: Self.stat, status: Self.status, openFiles: 17))
        #expect(snapshot == ProcessSnapshot(residentBytes: 51200 * 1024, cpuTicks: 1234 + 567, openFiles: 17))
    }

    @Test func refusesWhatItDoesNotKnow() {
        #expect(ProcessSnapshot(stat: "4242 turnload S 1", status: Self.status, openFiles: 1) == nil)
        #expect(ProcessSnapshot(stat: "4242 (turnload) S 1 2 3", status: Self.status, openFiles: 1) == nil)
        #expect(ProcessSnapshot(stat: Self.stat, status: "Name:\tturnload\n", openFiles: 1) == nil)
    }

    @Test func trendIsTheLeastSquaresSlope() throws {
        // 2 MB a second and noise that cancels: the slope, not the last minus the first.
        let points = (0..<10).map { second -> (x: Double, y: Double) in
            let noise: Double = second % 2 == 0 ? 1 : -1
            return (Double(second), 100 + 2 * Double(second) + noise)
        }
        #expect(abs(try #require(LinearTrend.slope(points)) - 2) < 0.1)
        #expect(LinearTrend.slope([(1, 5)]) == nil)
        #expect(LinearTrend.slope([(1, 5), (1, 7)]) == nil)
    }

    @Test func rssGrowthIsAThresholdInMegabytesPerHour() throws {
        let threshold = try Threshold(parsing: "rss-growth < 10MB/h")
        #expect(threshold == Threshold(.rssGrowth, .below, 10))
        #expect(threshold.description == "rss-growth < 10 MB/h")
        #expect(throws: ThresholdParseError.self) { try Threshold(parsing: "rss-growth < 10%") }
    }
}
