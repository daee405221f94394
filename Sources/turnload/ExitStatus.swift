import ArgumentParser
import Campaign
import Reporting

/// Exit statuses beyond ArgumentParser's 64 (bad arguments) that the README documents.
enum ExitStatus {
    /// A threshold, a check or an endpoint failed.
    static let failed: Int32 = 1
    /// Results or reports could not be written (sysexits' EX_IOERR): the run's figures are lost.
    static let cannotWrite: Int32 = 74
    /// Stopped by SIGINT or SIGTERM; what was written is marked interrupted.
    static let interrupted: Int32 = 130
}

extension WriteError {
    /// Prints what could not be written and why; the command ends with the status returned.
    func reported() -> ExitCode {
        printError(description)
        return ExitCode(ExitStatus.cannotWrite)
    }
}
