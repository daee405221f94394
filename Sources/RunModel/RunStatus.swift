/// How a run ended.
public enum RunStatus: String, Codable, Sendable {
    case complete
    /// Stopped by SIGINT or SIGTERM before its end.
    case interrupted
    /// The endpoint failed the load: it allocated no client, or stopped answering (or closed
    /// every connection) mid-run.
    case endpointFailed = "endpoint-failed"
}
