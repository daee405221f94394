import Measurement
import RunModel

extension ProbeLimits {
    /// The lines under a probe's verdict: each cap found, with the step below it and the step
    /// that broke, or how far the search went without one.
    var lines: [String] {
        var lines = [
            "  limits (at most \(DecimalText.short(boundSeconds)) s; a step breaks above \(DecimalText.short(lossLimitPercent))% loss):"
        ]
        if let error { lines.append("    ✗ \(error)") }
        for (name, finding) in [("packet rate", packetRate), ("bit rate", bitRate), ("new peers", peerRate)] {
            guard let finding else { continue }
            lines.append("    \(name): \(finding.summary)")
            if let peers = finding.peers { lines.append("      (\(peers))") }
        }
        return lines
    }
}

extension LimitFinding {
    var summary: String {
        let clean = below.map { "clean at \(evidence($0))" }
        switch verdict {
        case .cap:
            let steps = [clean, broke.map { "broke at \(evidence($0))" }].compactMap { $0 }.joined(separator: "; ")
            return (cap.map { "cap ≈ \(rate($0))\(otherUnit($0))" } ?? "cap") + " — " + steps
        case .noCap:
            return "no cap found up to \(cleanUpTo.map(rate) ?? "the first step")" + (clean.map { " (\($0))" } ?? "")
        case .harnessBound:
            let last = steps.last.map { " (offered \(rate($0.offered)), turnload sent \(rate($0.sent)))" } ?? ""
            return "no cap found up to \(cleanUpTo.map(rate) ?? "the first step"): turnload could not send faster\(last)"
        case .forbidden:
            return "not measured: the relay refuses these peers themselves (403 Forbidden), whatever the rate"
        }
    }

    /// A cap in the other search's unit, so that a packet-rate cap that is the bit-rate cap met
    /// with small packets (or the other way round) shows as such.
    func otherUnit(_ cap: Double) -> String {
        guard let packetBytes else { return "" }
        let bits = Double(packetBytes * 8)
        return unit == "bits/s"
            ? " (\(DecimalText.grouped(cap / bits)) packets/s of \(packetBytes) bytes)"
            : " (\(Self.rate(cap * bits, unit: "bits/s")) in \(packetBytes)-byte packets)"
    }

    /// Offered, sent and delivered a second, the loss, and the refusals behind it.
    func evidence(_ step: LimitStep) -> String {
        let refused = (step.refused ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
        return "\(rate(step.offered)) (sent \(rate(step.sent)), delivered \(rate(step.delivered)), "
            + "loss \(DecimalText.short(step.lossPercent))%\(refused.isEmpty ? "" : "; refused " + refused.joined(separator: ", ")))"
    }

    func rate(_ value: Double) -> String { Self.rate(value, unit: unit) }

    static func rate(_ value: Double, unit: String) -> String {
        guard unit == "bits/s" else { return DecimalText.grouped(value) + " " + unit }
        return value >= 1e6 ? DecimalText.short(value / 1e6, decimals: 2) + " Mbit/s" : DecimalText.short(value / 1e3) + " kbit/s"
    }
}
