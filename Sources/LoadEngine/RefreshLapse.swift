import Measurement
import TURNClient

/// Why calls that flowed went silent while the endpoint still answered: a server whose
/// permission or channel lifetime is shorter than the client's refresh interval lets the
/// route lapse before the first refresh, and then says nothing (RFC 8656 drops such packets).
enum RefreshLapse {
    /// `routedAt`: seconds from the run's start to the first call's route (channel or
    /// permission). Nil when the calls did not go silent before a refresh of it was due.
    static func explain(series: [SecondSample], routedAt: Double, intervals: RefreshIntervals, indications: Bool) -> String? {
        guard let last = series.lastIndex(where: { $0.received > 0 }), last + 1 < series.count else { return nil }
        // A sample's second ends `second` seconds after the start.
        let silentAfter = Double(series[last].second) - routedAt
        let firstDue = indications ? intervals.permission : min(intervals.permission, intervals.channel)
        guard silentAfter > 0, silentAfter < firstDue.seconds else { return nil }
        let route = indications ? "permission was created" : "channel was bound"
        return "the calls went silent about \(Int(silentAfter.rounded(.up))) s after the first \(route), before turnload "
            + "refreshed it (permissions every \(Int(intervals.permission.seconds)) s, channels every "
            + "\(Int(intervals.channel.seconds)) s): the server's permission or channel lifetime is shorter "
            + "(coturn --permission-lifetime, --channel-lifetime); run with --permission-refresh and --channel-refresh below it"
    }
}
