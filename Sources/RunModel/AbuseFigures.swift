import Measurement

/// What the abuse of a run (`--abuse`) sent, what the endpoint answered, and the measured
/// calls' figures in the quiet windows and in the abusive ones, side by side.
public struct AbuseFigures: Sendable, Codable, Equatable {
    public struct KindFigures: Sendable, Codable, Equatable {
        public var kind: AbusePlan.Kind
        public var rate: Int
        public var sent: Int
        /// Answers by what they were: "success", an error code ("401", "438"), "other" (not
        /// STUN); what got none is `sent` less their sum.
        public var answers: [String: Int]

        public init(kind: AbusePlan.Kind, rate: Int, sent: Int, answers: [String: Int]) {
            self.kind = kind
            self.rate = rate
            self.sent = sent
            self.answers = answers
        }

        public var unanswered: Int { max(0, sent - answers.values.reduce(0, +)) }
    }

    /// The calls' media over the seconds of one kind of window, at full load.
    public struct Window: Sendable, Codable, Equatable {
        public var seconds: Int
        public var sent: Int
        public var received: Int
        public var lost: Int
        /// Milliseconds.
        public var delayP99: Double
        public var jitterP99: Double
        public var rttP99: Double?

        public var lossPercent: Double { sent > 0 ? 100 * Double(lost) / Double(sent) : 0 }
    }

    public var windowSeconds: Int
    public var kinds: [KindFigures]
    public var quiet: Window
    public var abused: Window

    /// The windows of `series`, as `plan` had them: the seconds from the first at the run's
    /// most active clients (the ramp done) to the last, each with the loss it found (the run's
    /// count of lost packets grows as it finds them, a frame or so after they were due).
    public init(plan: AbusePlan, kinds: [KindFigures], series: [SecondSample]) {
        windowSeconds = plan.windowSeconds
        self.kinds = kinds
        let peak = series.map(\.activeClients).max() ?? 0
        let start = series.firstIndex { $0.activeClients == peak } ?? series.endIndex
        var windows = [false: Tally(), true: Tally()]
        var lostBefore = start > 0 ? series[start - 1].lost : 0
        for sample in series[start...] {
            windows[plan.isAbusive(second: sample.second)]!.add(sample, lostBefore: lostBefore)
            lostBefore = sample.lost
        }
        quiet = windows[false]!.window
        abused = windows[true]!.window
    }

    private struct Tally {
        var seconds = 0
        var sent = 0
        var received = 0
        var lost = 0
        var delay = Distribution()
        var jitter = Distribution()
        var rtt = Distribution()

        mutating func add(_ sample: SecondSample, lostBefore: Int) {
            seconds += 1
            sent += sample.sent
            received += sample.received
            lost += max(0, sample.lost - lostBefore)
            for (distribution, data) in [(\Tally.delay, sample.delay), (\Tally.jitter, sample.jitter), (\Tally.rtt, sample.rtt)] {
                if let other = try? Distribution(data) { self[keyPath: distribution].merge(other) }
            }
        }

        var window: Window {
            Window(
                seconds: seconds, sent: sent, received: received, lost: lost, delayP99: Double(delay.percentile(99)) / 1e6,
                jitterP99: Double(jitter.percentile(99)) / 1e6, rttP99: rtt.count > 0 ? Double(rtt.percentile(99)) / 1e6 : nil)
        }
    }
}
