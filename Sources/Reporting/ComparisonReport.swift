import Measurement

/// A comparison as a report: warnings first, the figures side by side, the cost, and the
/// groups' curves overlaid.
public enum ComparisonReport {
    public static func document(_ comparison: Comparison) -> ReportDocument {
        let groups = comparison.groups
        var sections: [ReportDocument.Section] = []
        if !comparison.warnings.isEmpty {
            sections.append(ReportDocument.Section("Warnings", comparison.warnings.map { .alert($0, details: [], tone: .warn) }))
        }
        var figures: [ReportDocument.Block] = []
        if let load = comparison.sharedLoad {
            figures.append(
                .paragraph(
                    "Capacities from each saturation's finding; the other figures at \(load) calls, the highest load every saturation ran.")
            )
        }
        figures.append(.table(table(comparison)))
        figures.append(
            .paragraph(
                "Means over each target's runs (± the standard deviation between runs). A difference is called better or "
                    + "worse only when both targets have at least 2 runs, Welch's t-test puts the means apart at 95 % (two-sided), and it "
                    + "exceeds the figure's noise floor (e.g. 0.1 % of loss, 1 ms, 0.05 MOS)."))
        sections.append(ReportDocument.Section("Figures against \(groups.first?.name ?? "the first target")", figures))
        if comparison.costs.contains(where: { $0 != nil }) { sections.append(costSection(comparison)) }
        sections.append(ReportDocument.Section("Overlaid", [.charts(charts(comparison))]))
        sections.append(
            ReportDocument.Section(
                "Results",
                [
                    .list(
                        groups.map { group in
                            "\(group.name): " + group.results.map { "`\($0.path)`" }.joined(separator: ", ")
                        })
                ]))

        let verdicts = comparison.rows.flatMap { row in row.cells.compactMap(\.verdict).map { (row.figure, $0) } }
        let worse = verdicts.filter { $0.1 == .worse }.map(\.0.title)
        let better = verdicts.filter { $0.1 == .better }.map(\.0.title)
        let headline: String
        if groups.count < 2 {
            headline = "one target only: its runs' spread, nothing to compare against"
        } else if !worse.isEmpty || !better.isEmpty {
            headline = [
                worse.isEmpty ? nil : "worse than \(groups[0].name) in " + unique(worse).joined(separator: ", "),
                better.isEmpty ? nil : "better than \(groups[0].name) in " + unique(better).joined(separator: ", "),
            ]
            .compactMap { $0 }.joined(separator: "; ")
        } else if verdicts.contains(where: { $0.1 == .untested }) {
            headline = "too few runs to tell a difference from noise"
        } else {
            headline = "no difference stands out of the noise"
        }
        return ReportDocument(
            title: "turnload compare: " + groups.map(\.name).joined(separator: " vs "),
            facts: [
                "\(groups.flatMap(\.results).count) \(comparison.kind.rawValue) of \(groups.count) target(s)",
                "differences against \(groups.first?.name ?? "the first")",
            ],
            headline: headline,
            tone: !worse.isEmpty ? .fail : comparison.warnings.isEmpty ? .pass : .warn,
            sections: sections
        )
    }

    static func unique(_ titles: [String]) -> [String] {
        titles.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    static func table(_ comparison: Comparison) -> ReportTable {
        let groups = comparison.groups
        var header = ["figure"]
        for (index, group) in groups.enumerated() {
            header.append("\(group.name) (\(group.results.count) run\(group.results.count == 1 ? "" : "s"))")
            if index > 0 { header += ["difference", "verdict"] }
        }
        let rows = comparison.rows.map { row -> [ReportTable.Cell] in
            var cells: [ReportTable.Cell] = [ReportTable.Cell(row.figure.title)]
            for (index, cell) in row.cells.enumerated() {
                cells.append(
                    .number(cell.mean.map { row.figure.format($0) + (cell.spread.map { " ± " + row.figure.format($0) } ?? "") } ?? "—"))
                guard index > 0 else { continue }
                cells.append(
                    .number(
                        cell.difference.map { difference in
                            row.figure.formatDifference(difference)
                                + (cell.relative.map { " (\($0 >= 0 ? "+" : "")\(DecimalText.short(100 * $0, decimals: 1))%)" } ?? "")
                        } ?? "—"))
                let tone: ReportDocument.Tone =
                    switch cell.verdict {
                    case .better?: .pass
                    case .worse?: .fail
                    default: .neutral
                    }
                cells.append(ReportTable.Cell(cell.verdict?.rawValue ?? "—", tone: tone))
            }
            return cells
        }
        return ReportTable(header: header, rows: rows)
    }

    static func costSection(_ comparison: Comparison) -> ReportDocument.Section {
        let costs = comparison.costs
        let known = costs.compactMap { $0 }
        func row(_ name: String, _ value: (CostProjection) -> String) -> [ReportTable.Cell] {
            [ReportTable.Cell(name)] + costs.map { .number($0.map(value) ?? "—") }
        }
        var rows = [
            row("GB from the relay per million minutes") { DecimalText.short($0.volume.fromRelayGBPerMillionMinutes, decimals: 1) },
            row("GB to the relay per million minutes") { DecimalText.short($0.volume.toRelayGBPerMillionMinutes, decimals: 1) },
        ]
        for (index, line) in (known.first?.lines ?? []).enumerated() {
            rows.append(row(line.option + ", a month") { $0.lines[index].monthlyDollars.map(CostSection.dollars) ?? "—" })
        }
        let breakEvens = zip(comparison.groups, costs).flatMap { group, cost in
            cost.map { cost in cost.breakEvens.compactMap { CostSection.breakEven($0, in: cost).map { "\(group.name): \($0)" } } } ?? []
        }
        return ReportDocument.Section(
            "Cost for \(DecimalText.grouped(known.first?.minutesPerMonth ?? 0)) minutes a month",
            [
                .table(ReportTable(header: [""] + comparison.groups.map(\.name), rows: rows)),
                .list(breakEvens + CostSection.unpriced(known.flatMap(\.lines))),
            ])
    }

    static func charts(_ comparison: Comparison) -> [LineChart] {
        let groups = comparison.groups
        switch comparison.kind {
        case .runs:
            let runs = groups.enumerated().map { index, group in
                ChartedRun(name: group.name, color: index, results: group.results.flatMap(\.runs))
            }
            return RunCharts.timeSeries(runs) + RunCharts.distributions(runs)
        case .saturations:
            let curves = groups.enumerated().map { index, group in
                StepCharts.Curve(
                    name: group.name, color: index, steps: group.results.compactMap(\.saturation).flatMap(\.chartedSteps))
            }
            return StepCharts.charts(curves, thresholds: groups.first?.results.first?.saturation?.thresholds ?? Threshold.defaults)
        }
    }
}
