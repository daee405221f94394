import Foundation

extension GateReport {
    /// JUnit XML, one test case per check (and one error case when the run is invalid), as CI
    /// systems display test results.
    public var junitXML: String {
        let failures = checks.count { !$0.passed }
        let errors = invalidReasons.isEmpty ? 0 : 1
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="turnload gate" tests="\#(checks.count + errors)" failures="\#(failures)" errors="\#(errors)">"#,
            #"  <testsuite name="\#(xml(target))" tests="\#(checks.count + errors)" failures="\#(failures)" errors="\#(errors)">"#,
        ]
        if !invalidReasons.isEmpty {
            lines.append(#"    <testcase classname="turnload.validity" name="the run is valid">"#)
            lines.append(#"      <error message="\#(xml(invalidReasons.joined(separator: "; ")))"/>"#)
            lines.append("    </testcase>")
        }
        for check in checks {
            let opening = #"    <testcase classname="turnload.\#(check.kind.rawValue)" name="\#(xml(check.name))""#
            if check.passed {
                lines.append(opening + "><system-out>\(xml(check.detail))</system-out></testcase>")
            } else {
                lines.append(opening + ">")
                lines.append(#"      <failure message="\#(xml(check.detail))"/>"#)
                lines.append("    </testcase>")
            }
        }
        lines += ["  </testsuite>", "</testsuites>", ""]
        return lines.joined(separator: "\n")
    }

    /// A Markdown summary fit for a CI job summary (e.g. `$GITHUB_STEP_SUMMARY`).
    public var markdown: String {
        var lines = ["### turnload gate: \(verdict) — \(target)", ""]
        for reason in invalidReasons { lines.append("- ⚠️ **invalid run**: \(reason)") }
        if !invalidReasons.isEmpty { lines.append("") }
        lines += ["| | check | measured |", "|---|---|---|"]
        for check in checks {
            lines.append("| \(check.passed ? "✅" : "❌") | \(cell(check.name)) | \(cell(check.detail)) |")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    private func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
