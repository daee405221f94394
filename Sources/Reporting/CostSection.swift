import Measurement

/// A cost projection as a report section: the measured volume, each option's monthly cost, and
/// where the options break even.
enum CostSection {
    static func section(_ projection: CostProjection) -> ReportDocument.Section {
        let volume = projection.volume
        let rows = projection.lines.map { line -> [ReportTable.Cell] in
            [ReportTable.Cell(line.option), .number(line.monthlyDollars.map(dollars) ?? "—"), ReportTable.Cell(line.detail)]
        }
        return ReportDocument.Section("Cost projection", [
            .paragraph("Measured on the wire, overhead included: \(DecimalText.short(volume.fromRelayGBPerMillionMinutes, decimals: 1)) GB "
                + "from the relay and \(DecimalText.short(volume.toRelayGBPerMillionMinutes, decimals: 1)) GB to it per million call-minutes. "
                + "For \(DecimalText.grouped(projection.minutesPerMonth)) minutes a month "
                + "(\(DecimalText.grouped(projection.peakCalls, decimals: 1)) concurrent calls):"),
            .table(ReportTable(header: ["option", "per month", "how"], rows: rows)),
            .list(projection.breakEvens.map { breakEven($0, in: projection) }),
        ])
    }

    static func dollars(_ value: Double) -> String {
        "$" + DecimalText.grouped(value, decimals: value < 100 ? 2 : 0)
    }

    static func breakEven(_ breakEven: CostProjection.BreakEven, in projection: CostProjection) -> String {
        let unpriced = projection.lines.filter { $0.monthlyDollars == nil && [breakEven.first, breakEven.second].contains($0.option) }
        if let option = unpriced.first {
            return "\(breakEven.first) and \(breakEven.second): no break-even, \(option.option) \(option.detail)"
        }
        guard let minutes = breakEven.minutesPerMonth else {
            return "\(breakEven.first) and \(breakEven.second) do not break even below 10¹¹ minutes a month"
        }
        return "\(breakEven.first) and \(breakEven.second) cost the same at \(DecimalText.grouped(minutes)) minutes a month"
    }
}
