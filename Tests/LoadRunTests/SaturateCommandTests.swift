import Foundation
import Measurement
import Reporting
import TestSupport
import Testing

/// `turnload saturate` against its own relay with a capacity placed by `--relay-max-pps`.
@Suite("saturate and gate", .serialized)
struct SaturateCommandTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("turnload-\(UUID().uuidString)")
    }

    /// Echo relays each call's 50 packets a second twice (out and back): a cap of 6,000 packets
    /// a second carries 60 calls. The cliff must be found within one step of it, with fresh
    /// steps and with one live population alike.
    @Test(arguments: [false, true])
    func findsAPlacedCliffWithinOneStep(live: Bool) async throws {
        let search = try await SaturateCommand.run(
            [
                "--relay-max-pps", "6000", "--start", "20", "--step", "20", "--max-clients", "140", "--step-duration", "3s",
                "--ramp", "200", "--drain", "1s",
            ] + (live ? ["--live"] : []))
        let (outcome, saturation, folder) = (search.outcome, search.saturation, search.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(outcome.status == 0, "\(outcome.errors)")
        let finding = saturation.finding
        let cliff = try #require(finding.cliff, "\(finding)")
        #expect((60...80).contains(cliff.clients), "cliff at \(cliff.clients), placed at 60")
        #expect(cliff.breaches.contains { $0.threshold.metric == .loss })
        let clean = try #require(finding.cleanCapacity)
        #expect((40...60).contains(clean), "clean capacity \(clean)")
        #expect(finding.harnessBoundAt == nil)
        let knee = try #require(finding.knee)
        #expect((40...80).contains(knee), "knee \(knee)")
        // It stops at the cliff, and every step left its own result.
        #expect(saturation.steps.last?.clients == cliff.clients)
        for step in saturation.steps {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(step.folder)/result.json").path))
        }
        #expect(outcome.output.contains("cliff at \(cliff.clients) calls"))
        #expect(saturation.mode == (live ? .live : .fresh))
        guard live else { return }
        // One run grew through every step: its allocations are the last step's, each made once.
        let whole = try ResultWriter.decode(try Data(contentsOf: folder.appendingPathComponent("live/result.json")))
        #expect(whole.outcome.clients.allocated == cliff.clients, "\(whole.outcome.clients)")
        for step in saturation.steps {
            let window = try ResultWriter.decode(try Data(contentsOf: folder.appendingPathComponent("\(step.folder)/result.json")))
            #expect(window.outcome.calls.count == step.clients)
            #expect((2...4).contains(window.outcome.series.count), "\(window.outcome.series.count) seconds in the window")
        }
    }

    /// A cap of 5,000 packets a second carries 50 calls: the 40-call step is clean with room to
    /// spare (a step exactly at a cap drops whatever bursts past its 20 ms bucket), 60 is the cliff.
    @Test func holdsAShareOfTheCleanCapacityForAVolume() async throws {
        let search = try await SaturateCommand.run([
            "--relay-max-pps", "5000", "--start", "20", "--step", "20", "--max-clients", "60", "--step-duration", "2s",
            "--drain", "1s", "--hold-at", "50%", "--hold-volume", "3MB",
        ])
        let saturation = search.saturation
        defer { try? FileManager.default.removeItem(at: search.folder) }
        #expect(search.outcome.status == 0, "\(search.outcome.errors)")
        #expect(saturation.finding.cleanCapacity == 40)
        let hold = try #require(saturation.hold)
        #expect(hold.clients == 20)
        #expect(hold.bytes >= 3e6 * 0.9, "pushed \(hold.bytes) bytes of 3 MB")
        // Half the placed capacity: far below the cliff's loss (a token bucket of 20 ms can
        // still drop a burst when the loaded machine stalls the relay's thread).
        let cliff = try #require(saturation.steps.last?.figures.lossPercent)
        #expect(hold.figures.lossPercent < cliff / 4, "hold loss \(hold.figures.lossPercent)%, cliff \(cliff)%")
        #expect(hold.checks.count == saturation.thresholds.count)
    }

    /// Ctrl-C mid-search: exit 130, and the steps so far are in `saturation.json`, marked. (A
    /// search that a harness-bound step ended before the Ctrl-C is tried again.)
    @Test func interruptedSearchKeepsItsSteps() async throws {
        let search = try await SaturateCommand.run(
            [
                "--start", "10", "--step", "10", "--max-clients", "100", "--step-duration", "2s", "--drain", "1s",
            ], interruptAfter: .seconds(8))
        let (outcome, saturation, folder) = (search.outcome, search.saturation, search.folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(outcome.status == 130, "\(outcome.errors)")
        #expect(saturation.status == .interrupted)
        #expect(!saturation.steps.isEmpty && saturation.steps.count < 10)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.html").path))
    }

    /// A run that breaks a threshold fails its gate (exit 1) with a JUnit failure; `gate` on the
    /// same result passes under a looser threshold, fails against a clean baseline, and refuses
    /// a missing file (64).
    @Test func gateExitCodesAndJUnit() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try TurnloadBinary()
        let lossy = folder.appendingPathComponent("lossy").path
        let impaired = try await measureAgain(
            {
                try await binary.run(["run", "--out", lossy, "--clients", "20", "--duration", "3s", "--relay-impair", "loss=5%", "--gate"])
            }, while: { $0.status == 2 })
        #expect(impaired.status == 1, "\(impaired.errors)")
        let junit = try String(contentsOfFile: "\(lossy)/junit.xml", encoding: .utf8)
        #expect(junit.contains(#"<testcase classname="turnload.threshold" name="loss &lt; 0.5%">"#))
        #expect(junit.contains("<failure message="))
        #expect(FileManager.default.fileExists(atPath: "\(lossy)/gate.md"))
        #expect(impaired.output.contains("turnload gate: FAIL"))

        let loose = try await binary.run([
            "gate", lossy, "--threshold", "loss < 20%", "--junit", folder.appendingPathComponent("j.xml").path,
        ])
        #expect(loose.status == 0, "\(loose.output)\(loose.errors)")

        let clean = folder.appendingPathComponent("clean").path
        let baseline = try await measureAgain(
            {
                try await binary.run(["run", "--out", clean, "--clients", "20", "--duration", "3s", "--gate"])
            }, while: { $0.status == 2 })
        #expect(baseline.status == 0, "\(baseline.output)\(baseline.errors)")
        let regressed = try await binary.run(["gate", lossy, "--threshold", "loss < 20%", "--baseline", clean])
        #expect(regressed.status == 1)
        #expect(regressed.output.contains("❌ | loss regression <= 10%"))

        let stopped = folder.appendingPathComponent("stopped").path
        _ = try await binary.run(["run", "--out", stopped, "--clients", "10", "--duration", "30s"], interruptAfter: .seconds(3))
        let invalid = try await binary.run(["gate", stopped])
        #expect(invalid.status == 2, "\(invalid.output)\(invalid.errors)")
        #expect(invalid.output.contains("the run was interrupted"))

        let missing = try await binary.run(["gate", folder.appendingPathComponent("nothing").path])
        #expect(missing.status == 64)
        #expect(missing.errors.contains("nothing does not exist"))
    }
}
