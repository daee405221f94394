import Foundation
import Measurement

/// Writes reports beside the results: `report.md` and `report.html` for a run or a
/// saturation, `compare.md` and `compare.html` for a comparison.
public enum ReportWriter {
    public static func writeRun(_ result: RunResult, checks: [ThresholdCheck] = [], cost: CostProjection? = nil, to folder: String)
        throws(WriteError)
    {
        try write(RunReport.document(result, checks: checks, cost: cost), to: folder, name: "report")
    }

    /// `stepResults`: the steps' results, when the caller has them, for their distributions.
    public static func writeSaturation(
        _ result: SaturationResult, stepResults: [RunResult] = [], cost: CostProjection? = nil,
        to folder: String
    ) throws(WriteError) {
        try write(SaturationReport.document(result, stepResults: stepResults, cost: cost), to: folder, name: "report")
    }

    /// Returns the Markdown written, for printing.
    @discardableResult
    public static func writeComparison(_ comparison: Comparison, to folder: String) throws(WriteError) -> String {
        let document = ComparisonReport.document(comparison)
        try write(document, to: folder, name: "compare")
        return document.markdown
    }

    static func write(_ document: ReportDocument, to folder: String, name: String) throws(WriteError) {
        try OutputFile.createFolder(folder)
        try OutputFile.write(document.markdown, to: "\(folder)/\(name).md")
        try OutputFile.write(document.html, to: "\(folder)/\(name).html")
    }
}
