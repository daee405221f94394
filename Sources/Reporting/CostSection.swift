import Measurement

/// A cost projection as a report section: the measured volume, each option's monthly cost, and
/// where the options break even.
enum CostSection {
    static func section(_ projection: CostProjection) -> ReportDocument.Section {
        let volume = projection.volume
        let rows = projection.lines.map { line -> [ReportTable.Cell] in
            [ReportTable.Cell(line.option), .number(line.monthlyDollars.map(dollars) ?? "—"), ReportTable.Cell(line.detail)]
        }
        return ReportDocument.Section(
            "Cost projection",
            [
                .paragraph(
                    "Measured on the wire, overhead included: \(DecimalText.short(volume.fromRelayGBPerMillionMinutes, decimals: 1)) GB "
                        + "from the relay and \(DecimalText.short(volume.toRelayGBPerMillionMinutes, decimals: 1)) GB to it "
                        + "per million call-minutes. "
                        + "For \(DecimalText.grouped(projection.minutesPerMonth)) minutes a month "
                        + "(\(DecimalText.grouped(projection.peakCalls, decimals: 1)) concurrent calls):"),
                .table(ReportTable(header: ["option", "per month", "how"], rows: rows)),
                .list(projection.breakEvens.compactMap { breakEven($0, in: projection) } + unpriced(projection.lines)),
            ])
    }

    static func dollars(_ value: Double) -> String {
        "$" + DecimalText.grouped(value, decimals: value < 100 ? 2 : 0)
    }

    /// Where two priced options cost the same; nil when one of them cannot be priced.
    static func breakEven(_ breakEven: CostProjection.BreakEven, in projection: CostProjection) -> String? {
        let priced = projection.lines.filter { $0.monthlyDollars != nil }.map(\.option)
        guard priced.contains(breakEven.first), priced.contains(breakEven.second) else { return nil }
        guard let minutes = breakEven.minutesPerMonth else {
            return "\(breakEven.first) and \(breakEven.second) do not break even below 10¹¹ minutes a month"
        }
        return "\(breakEven.first) and \(breakEven.second) cost the same at \(DecimalText.grouped(minutes)) minutes a month"
    }

    /// Why an option has no price, once per option.
    static func unpriced(_ lines: [CostProjection.CostLine]) -> [String] {
        lines.filter { $0.monthlyDollars == nil }.reduce(into: [String]()) { reasons, line in
            let reason = "\(line.option): \(line.detail)"
            if !reasons.contains(reason) { reasons.append(reason) }
        }
    }
}
