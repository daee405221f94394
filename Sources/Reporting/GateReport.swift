import Measurement

/// A CI gate's verdict on one result: every check with its figures, and why the run itself
/// may not count. Exit codes as CI tools expect: 0 pass, 1 a check failed, 2 the run is invalid.
public struct GateReport: Sendable, Codable, Equatable {
    public var target: String
    public var checks: [GateCheck]
    /// Why the run measured nothing about the endpoint (the harness was the bottleneck, it was
    /// interrupted, the baseline ran another load): no verdict on the endpoint is possible.
    public var invalidReasons: [String]

    public init(target: String, checks: [GateCheck], invalidReasons: [String]) {
        self.target = target
        self.checks = checks
        self.invalidReasons = invalidReasons
    }

    public var passed: Bool { invalidReasons.isEmpty && checks.allSatisfy(\.passed) }

    public var exitCode: Int32 {
        if !invalidReasons.isEmpty { return 2 }
        return passed ? 0 : 1
    }

    public var verdict: String {
        if !invalidReasons.isEmpty { return "INVALID" }
        return passed ? "PASS" : "FAIL"
    }
}

/// One check of a gate: a threshold, a regression against a baseline, or a capacity floor.
public struct GateCheck: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case threshold, regression, capacity
    }

    public var kind: Kind
    /// `loss < 0.5%`, `rtt-p99 regression ≤ 10%`, `clean capacity ≥ 800 calls`.
    public var name: String
    public var passed: Bool
    /// The figures behind the verdict, for a person: `0.02% (limit < 0.5%)`.
    public var detail: String

    public init(kind: Kind, name: String, passed: Bool, detail: String) {
        self.kind = kind
        self.name = name
        self.passed = passed
        self.detail = detail
    }
}
