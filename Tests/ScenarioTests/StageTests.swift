import Testing

@testable import Scenario

/// k6-style stages: what each command makes of them, and what neither accepts.
@Suite("scenario stages")
struct StageTests {
    @Test func runRampsThenHolds() throws {
        let yaml = "stages:\n  - ramp to 200 over 5s\n  - hold 30s"
        #expect(try TestCatalog.arguments(yaml).get() == ["--clients=200", "--ramp=40", "--duration=30s"])
    }

    /// A ramp never slower than written: 100 over 3 s opens 34 a second, not 33.
    @Test func theRampRateRoundsUp() throws {
        #expect(try TestCatalog.arguments("stages: [ramp to 100 over 3s]").get() == ["--clients=100", "--ramp=34"])
        #expect(try TestCatalog.arguments("stages: [ramp to 10 over 2m]").get() == ["--clients=10", "--ramp=1"])
        #expect(try TestCatalog.arguments("stages: [hold 1h]").get() == ["--duration=1h"])
    }

    @Test func saturateStartsAtTheRampAndSteps() throws {
        let yaml = "stages:\n  - ramp to 100 over 10s\n  - step +100 every 30s until 3000"
        #expect(
            try TestCatalog.arguments(yaml, for: "saturate").get()
                == ["--start=100", "--ramp=10", "--step=100", "--step-duration=30s", "--max-clients=3000"])
        #expect(
            try TestCatalog.arguments("stages: ['step  +50   every 1m until 400']", for: "saturate").get()
                == ["--step=50", "--step-duration=1m", "--max-clients=400"])
    }

    @Test(arguments: [
        ("stages:\n  - ramp to 200 over 5s\n  - wait 30s", "run", "s.yaml:3:5: \"wait 30s\" is not a stage: write \"ramp to N over TIME\""),
        ("stages:\n  - ramp to many over 5s", "run", "s.yaml:2:5: \"ramp to many over 5s\": many is not a number of clients above 0"),
        ("stages:\n  - ramp to 10 over 0s", "run", "s.yaml:2:5: \"ramp to 10 over 0s\": 0s is not a time above 0"),
        ("stages:\n  - hold soon", "run", "s.yaml:2:5: \"hold soon\": soon is not a time above 0, such as 30s, 5m or 1h"),
        ("stages:\n  - step 100 every 30s until 3000", "saturate", "s.yaml:2:5: \"step 100 every 30s until 3000\" is not a stage"),
        ("stages:\n  - step +100 every 30s until 3000", "run", "s.yaml:2:5: `turnload run` holds one load: `step` stages are for"),
        ("stages:\n  - hold 30s", "saturate", "s.yaml:2:5: `turnload saturate` steps the load until the cliff"),
        ("stages:\n  - hold 30s\n  - ramp to 10 over 1s", "run", "s.yaml:3:5: stages go in this order, each at most once: ramp, then hold"),
        ("stages:\n  - hold 30s\n  - hold 1m", "run", "s.yaml:3:5: stages go in this order"),
        ("stages: ramp to 10 over 1s", "run", "s.yaml:1:9: `stages` is a list, one stage a line"),
        ("stages:\n  - {ramp: 10}", "run", "s.yaml:2:5: each item of `stages` is one value, not a mapping"),
        (
            "stages:\n  - ramp to 10 over 1s\nclients: 20", "run",
            "s.yaml:3:1: `clients` is also set by `stages` on line 2: give it in one place"
        ),
        ("duration: 1m\nstages:\n  - hold 30s", "run", "s.yaml:1:1: `duration` is also set by `stages` on line 3"),
    ])
    func stageErrorsSayWhereAndWhat(_ yaml: String, _ command: String, _ message: String) {
        TestCatalog.expectError(yaml, message, for: command)
    }

    /// A stage that sets an option the command lacks says so rather than passing it on.
    @Test func aStageNeedsItsOptions() {
        let catalog = OptionCatalog(commands: ["run": [TestCatalog.value("clients")]])
        #expect(
            throws: ScenarioError(
                path: "s.yaml", position: .init(line: 1, column: 10),
                message: "this stage sets --ramp, which `turnload run` does not take")
        ) {
            try Scenario(yaml: "stages: [ramp to 10 over 1s]", path: "s.yaml").arguments(for: "run", catalog: catalog)
        }
    }
}
