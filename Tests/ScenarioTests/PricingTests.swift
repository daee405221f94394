import Measurement
import Testing

@testable import Scenario

/// `pricing:`, the price table costs are projected under.
@Suite("scenario pricing")
struct PricingTests {
    @Test func hostedAndSelfHostedOptions() throws {
        let yaml = """
            pricing:
              - name: hosted
                per-gb: 0.05
                free-gb: 1000
                billed: from-relay
              - name: both-ways
                per-gb: 0.08
                billed: both
              - name: self-hosted
                per-hour: 0.096
                calls-per-instance: 800
                egress-per-gb: 0.09
              - name: own-vm
                per-hour: 0.2
            """
        let scenario = try Scenario(yaml: yaml, path: "s.yaml")
        #expect(
            scenario.prices == [
                PriceOption(name: "hosted", pricing: .traffic(dollarsPerGB: 0.05, freeGB: 1000, billed: .fromRelay)),
                PriceOption(name: "both-ways", pricing: .traffic(dollarsPerGB: 0.08, freeGB: 0, billed: .both)),
                PriceOption(
                    name: "self-hosted", pricing: .instances(dollarsPerHour: 0.096, callsPerInstance: 800, egressDollarsPerGB: 0.09)),
                PriceOption(name: "own-vm", pricing: .instances(dollarsPerHour: 0.2, callsPerInstance: nil, egressDollarsPerGB: 0)),
            ])
        // Prices are no option of any command.
        #expect(try scenario.arguments(for: "saturate", catalog: TestCatalog.catalog).isEmpty)
    }

    @Test(arguments: [
        ("pricing:\n  - name: a\n    per-gbb: 0.05", "s.yaml:3:5: unknown key `per-gbb` in a price option; did you mean `per-gb`?"),
        ("pricing:\n  - name: a\n    per-gb: 0.05\n    per-hour: 1", "s.yaml:2:5: price option `a` has both per-gb and per-hour"),
        ("pricing:\n  - name: a", "s.yaml:2:5: price option `a` needs per-gb (a provider billing traffic) or per-hour"),
        ("pricing:\n  - per-gb: 0.05", "s.yaml:2:5: a price option needs a `name`"),
        ("pricing:\n  - name: a\n    per-gb: 0.05\n    billed: egress", "s.yaml:4:13: `billed` is one of from-relay, to-relay, both"),
        (
            "pricing:\n  - name: a\n    per-hour: 1\n    free-gb: 10",
            "s.yaml:4:14: `free-gb` prices traffic (with per-gb), but `a` runs instances"
        ),
        ("pricing:\n  - name: a\n    per-gb: 0.05\n    calls-per-instance: 10", "s.yaml:4:25: `calls-per-instance` prices instances"),
        ("pricing:\n  - name: a\n    per-gb: -1", "s.yaml:3:13: `per-gb` must be a number at least 0, such as 0.05"),
        ("pricing:\n  - name: a\n    per-gb: $0.05", "s.yaml:3:13: `per-gb` must be a number at least 0"),
        ("pricing:\n  - name: a\n    per-hour: 1\n    calls-per-instance: 0", "s.yaml:4:25: `calls-per-instance` must be a whole number"),
        ("pricing:\n  - name: a\n    per-gb: 1\n  - name: a\n    per-hour: 1", "s.yaml:4:5: two price options are named `a`"),
        ("pricing:\n  name: a", "s.yaml:2:3: `pricing` is a list of price options"),
    ])
    func pricingErrorsSayWhereAndWhat(_ yaml: String, _ message: String) {
        TestCatalog.expectError(yaml, message)
    }
}
