import PacketIO
import RunModel
import TURNClient

extension RefreshFigures {
    /// Counts and times a refresh that succeeded; a failed one by its reason, as setup
    /// failures are.
    mutating func record(_ refresh: TURNRefresh) {
        if refresh.credentialRenewed { credentialRenewals += 1 }
        if let error = refresh.error {
            let failure = SetupFailure(error, step: "\(refresh.kind.rawValue) refresh")
            failures[failure.reason, default: 0] += 1
            if failureExamples[failure.reason] == nil { failureExamples[failure.reason] = failure.detail }
            return
        }
        latency.record(refresh.latency.nanosecondsValue)
        switch refresh.kind {
        case .allocation: allocation += 1
        case .permission: permission += 1
        case .channel: channel += 1
        }
    }
}
