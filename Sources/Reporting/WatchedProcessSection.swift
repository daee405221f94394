import Measurement
import RunModel

/// The report's section on a process watched through the run (`--watch-pid`): how its memory
/// grew, per hour and per allocation, and its memory, descriptors and CPU over time.
enum WatchedProcessSection {
    static func section(_ watched: WatchedProcess, allocations: Int) -> ReportDocument.Section {
        var facts = ["\(watched.command) (PID \(watched.pid)), sampled each second"]
        if let first = watched.samples.first, let last = watched.samples.last {
            facts.append(
                "resident memory \(megabytes(first.residentBytes)) → \(megabytes(last.residentBytes)) MB, "
                    + "open files \(first.openFiles) → \(last.openFiles)")
        }
        if let growth = watched.residentGrowthBytesPerHour {
            facts.append("memory growth **\(DecimalText.short(growth / 1e6, decimals: 1)) MB/h** (least-squares slope)")
        }
        if let perAllocation = watched.residentBytesPerAllocation(allocations) {
            facts.append("\(DecimalText.short(perAllocation / 1024, decimals: 1)) kB per allocation (peak over first)")
        }
        var blocks: [ReportDocument.Block] = []
        if let lost = watched.lost { blocks.append(.alert("Sampling stopped early: \(lost)", details: [], tone: .fail)) }
        blocks.append(.list(facts))
        let time = ChartAxis("time since start (s)")
        func points(_ value: (ProcessSample) -> Double?) -> [ChartPoint] {
            watched.samples.compactMap { sample in value(sample).map { ChartPoint(Double(sample.second), $0) } }
        }
        blocks.append(
            .charts([
                LineChart(
                    title: "Resident memory", x: time, y: ChartAxis("MB"),
                    series: [ChartSeries("resident", points: points { Double($0.residentBytes) / 1e6 }, color: 0)]),
                LineChart(
                    title: "Open files", x: time, y: ChartAxis("descriptors"),
                    series: [ChartSeries("open files", points: points { Double($0.openFiles) }, color: 1)]),
                LineChart(
                    title: "CPU", x: time, y: ChartAxis("% of one core"),
                    series: [ChartSeries("CPU", points: points(\.cpuPercent), color: 2)]),
            ]))
        return ReportDocument.Section("Watched process", blocks)
    }

    private static func megabytes(_ bytes: Int) -> String { DecimalText.short(Double(bytes) / 1e6, decimals: 1) }
}
