import Foundation
import Reporting
import TestSupport
import Testing

/// `saturate --axis allocations` against a real coturn, which has no limit on the rate of
/// allocations: the steps run, and over TLS each allocation's handshake is in its latency.
@Suite("control-plane saturation against coturn", .serialized)
struct AllocationAxisInteropTests {
    /// 5, 10 and 15 new allocations a second over turns:, each a TLS connection of its own:
    /// every setup succeeds, its latency is measured, and nothing is a cliff at these rates.
    @Test func stepsRatesOfTLSAllocations() async throws {
        let coturn = try Coturn()
        // The handshakes load both ends on one 2-core machine: a search that found turnload itself
        // the bottleneck said nothing of coturn, so it is measured again.
        let search = try await measureAgain(
            attempts: 3,
            {
                try await SaturateCommand.run(
                    [
                        "--axis", "allocations", "--target", "turns:localhost:\(coturn.tlsPort)?transport=tcp", "--user", Coturn.user,
                        "--password-env", "COTURN_PASSWORD", "--ca-file", coturn.certificate.path, "--start", "5", "--step", "5",
                        "--max-rate", "15", "--step-duration", "3s", "--hold-time", "fixed:1s", "--drain", "1s",
                    ], environment: ["COTURN_PASSWORD": Coturn.password])
            }, while: { $0.saturation.finding.harnessBoundAt != nil }, discard: { try? FileManager.default.removeItem(at: $0.folder) })
        let (outcome, saturation) = (search.outcome, search.saturation)
        defer { try? FileManager.default.removeItem(at: search.folder) }
        #expect(outcome.status == 0, "\(outcome.output)\n\(outcome.errors.suffix(2000))")
        #expect(saturation.steps.map(\.allocationsPerSecond) == [5, 10, 15])
        #expect(saturation.finding.cliff == nil && saturation.finding.cleanCapacity == 15, "\(saturation.finding)")
        for step in saturation.steps {
            #expect(step.figures.setupFailurePercent == 0, "\(step.folder)")
            #expect((step.figures.allocationP99Milliseconds ?? 0) > 0, "\(step.folder)")
            #expect(abs(step.figures.clients - 3 * step.clients) <= 1, "\(step.figures.clients) setups at \(step.clients)/s")
        }
    }
}
