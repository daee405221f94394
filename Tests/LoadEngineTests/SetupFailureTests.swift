import Foundation
import TURNClient
import TURNProtocol
import Testing

@testable import LoadEngine

@Suite("why a client did not get going")
struct SetupFailureTests {
    /// `run` and `saturate` have --peer-host; --peer is the probe's, which they do not take.
    @Test func aRefusedPeerNamesTheOptionsOfRun() {
        let failure = SetupFailure(TURNClientError.rejected(STUNErrorCode(403, reason: "Forbidden")), step: "channel bind")
        #expect(failure.reason == "403")
        #expect(failure.detail.contains("--peer-host"))
        #expect(!failure.detail.replacingOccurrences(of: "--peer-host", with: "").contains("--peer"))
    }
}
