import Foundation
import LoadEngine
import Reporting

extension LoadSession {
    /// How a series of loads ended.
    public struct RoundsEnding: Sendable {
        /// 1 when a load failed or could not start, or the highest of `judge`'s statuses.
        public var exitCode: Int32 = 0
        /// Ctrl-C stopped a load: no later load ran.
        public var interrupted = false
    }

    /// Runs `configuration` against every target in turn, `rounds` times (A B A B …, so that
    /// a comparison can tell a difference from noise), each into its own folder; `judge`
    /// gates each result in its folder and answers an exit status.
    public func runRounds(
        _ rounds: Int, configuration: LoadConfiguration,
        judge: (RunResult, _ folder: String) -> Int32
    ) async throws(WriteError) -> RoundsEnding {
        var ending = RoundsEnding()
        for round in 1...rounds {
            for target in targets {
                let suffix = rounds > 1 ? "-round\(round)" : ""
                let folder = folder(for: target, startedAt: Date(), suffix: suffix, subfolders: rounds > 1)
                guard let result = try await run(target, configuration: configuration, folder: folder) else {
                    ending.exitCode = max(ending.exitCode, 1)
                    continue
                }
                if result.outcome.status == .interrupted {
                    ending.interrupted = true
                    return ending
                }
                if result.outcome.status != .complete || result.outcome.clients.allocated == 0 { ending.exitCode = max(ending.exitCode, 1) }
                ending.exitCode = max(ending.exitCode, judge(result, folder))
            }
        }
        return ending
    }
}
