import Measurement
import Testing

@testable import Scenario

/// `thresholds:` as a map of metric to condition: validated where written, passed on as
/// `--threshold` where the command takes it, and readable by `gate` either way.
@Suite("scenario thresholds")
struct ThresholdSectionTests {
    let yaml = """
        command: saturate
        thresholds:
          loss: "< 0.5%"
          jitter-p99: < 30ms
          rtt-p99: "<= 0.15s"
          allocation-success: ">= 99.95%"
          mos: ">=   4.0"
        """

    @Test func thresholdsAreValidatedAndPassedOnAsWritten() throws {
        let scenario = try Scenario(yaml: yaml, path: "s.yaml")
        #expect(
            scenario.thresholds == [
                Threshold(.loss, .below, 0.5), Threshold(.jitterP99, .below, 30), Threshold(.rttP99, .atMost, 150),
                Threshold(.allocationSuccess, .atLeast, 99.95), Threshold(.mos, .atLeast, 4),
            ])
        let arguments = try scenario.arguments(for: "saturate", catalog: TestCatalog.catalog)
        #expect(
            arguments == [
                "--threshold=loss < 0.5%", "--threshold=jitter-p99 < 30ms", "--threshold=rtt-p99 <= 0.15s",
                "--threshold=allocation-success >= 99.95%", "--threshold=mos >= 4.0",
            ])
        // What the command will parse is what the scenario said.
        for (argument, threshold) in zip(arguments, scenario.thresholds) {
            #expect(try Threshold(parsing: String(argument.dropFirst("--threshold=".count))) == threshold)
        }
    }

    @Test func theUsersThresholdsReplaceTheScenarios() throws {
        let arguments = try Scenario(yaml: yaml, path: "s.yaml")
            .arguments(for: "saturate", catalog: TestCatalog.catalog, overriddenBy: ["--threshold", "loss < 1%"])
        #expect(arguments.isEmpty)
    }

    /// A command without `--threshold` takes none as options; `gate` still reads them.
    @Test func aCommandWithoutThresholdOptionsGetsNone() throws {
        let scenario = try Scenario(yaml: "thresholds:\n  loss: < 1%", path: "s.yaml")
        #expect(try scenario.arguments(for: "run", catalog: TestCatalog.catalog).isEmpty)
        #expect(scenario.thresholds == [Threshold(.loss, .below, 1)])
    }

    @Test(arguments: [
        ("thresholds:\n  jiter-p99: < 30ms", "s.yaml:2:3: unknown metric `jiter-p99`; did you mean `jitter-p99`? the metrics are loss,"),
        ("thresholds:\n  loss: 1%", "s.yaml:2:9: \"1%\" for loss needs a comparison first"),
        ("thresholds:\n  rtt-p99: < 150%", "s.yaml:2:12: rtt-p99 is measured in ms, not %"),
        ("thresholds:\n  - loss < 1%", "s.yaml:2:3: `thresholds` must be a mapping of keys to values (`key: value` lines), found a list"),
        ("thresholds:\n  loss: [< 1%]", "s.yaml:2:9: `loss` takes one value, not a list"),
    ])
    func thresholdErrorsSayWhereAndWhat(_ yaml: String, _ message: String) {
        TestCatalog.expectError(yaml, message)
    }
}
