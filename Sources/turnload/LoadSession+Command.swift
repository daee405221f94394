import ArgumentParser
import Campaign
import Reporting

extension LoadSession {
    /// A command's session: what it refuses is a usage error (exit 64), a results folder it
    /// cannot write ends the command with 74 before any load starts.
    static func forCommand(_ settings: Settings) async throws -> LoadSession {
        do { return try await LoadSession(settings) } catch let error as WriteError {
            throw error.reported()
        } catch let error as Refusal {
            throw ValidationError(error.description)
        }
    }
}
