import Measurement
import TURNClient
import Testing

@testable import LoadEngine

/// When calls go silent before their route's first refresh was due, the run says the server's
/// lifetimes are shorter and which options fit; otherwise it claims nothing.
@Suite("refresh lapse")
struct RefreshLapseTests {
    /// Echoes back for `heard` seconds of `seconds`, then nothing.
    func series(heard: Int, of seconds: Int) -> [SecondSample] {
        (1...seconds).map { SecondSample(second: $0, sent: 50, received: $0 <= heard ? 50 : 0) }
    }

    @Test func silenceBeforeTheFirstRefreshNamesTheLifetimesAndTheOptions() throws {
        let lapse = try #require(
            RefreshLapse.explain(series: series(heard: 8, of: 13), routedAt: 0.5, intervals: .rfc8656, indications: false))
        #expect(lapse.hasPrefix("the calls went silent about 8 s after the first channel was bound"))
        for words in ["permissions every 240 s", "channels every 540 s", "--permission-refresh", "--channel-refresh"] {
            #expect(lapse.contains(words), "\(lapse)")
        }
        let permission = RefreshLapse.explain(series: series(heard: 8, of: 13), routedAt: 0.5, intervals: .rfc8656, indications: true)
        #expect(permission?.contains("after the first permission was created") == true)
    }

    @Test func noClaimWhenTheCallsWereHeardToTheEndOrFellSilentAfterARefresh() {
        #expect(RefreshLapse.explain(series: series(heard: 13, of: 13), routedAt: 0.5, intervals: .rfc8656, indications: false) == nil)
        #expect(RefreshLapse.explain(series: series(heard: 0, of: 13), routedAt: 0.5, intervals: .rfc8656, indications: false) == nil)
        let short = RefreshIntervals(permission: .seconds(4), channel: .seconds(6))
        #expect(RefreshLapse.explain(series: series(heard: 8, of: 13), routedAt: 0.5, intervals: short, indications: false) == nil)
    }
}
