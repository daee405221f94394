/// How a run ended.
public enum RunStatus: String, Codable, Sendable {
    case complete
    /// Stopped by SIGINT or SIGTERM before its end.
    case interrupted
    /// The endpoint failed the load: it allocated no client, or stopped answering (or closed
    /// every connection) mid-run.
    case endpointFailed = "endpoint-failed"
    /// A checkpoint of a run still under way (`--checkpoint`): what is left when the run dies
    /// before its end. Its last moment counts packets still in flight as lost.
    case inProgress = "in-progress"

    /// Results that stop before the run's end, by Ctrl-C or by checkpoint.
    public var isPartial: Bool { self == .interrupted || self == .inProgress }
}
