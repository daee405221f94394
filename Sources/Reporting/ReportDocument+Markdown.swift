extension ReportDocument {
    /// The report as GitHub-flavoured Markdown; plots are named and left to the HTML page.
    public var markdown: String {
        var lines = ["# \(title)", "", facts.joined(separator: " · "), "", "**\(headline)**"]
        for section in sections {
            lines += ["", "## \(section.title)"]
            for block in section.blocks {
                let rendered = Self.markdown(block)
                guard !rendered.isEmpty else { continue }
                lines.append("")
                lines += rendered
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ block: Block) -> [String] {
        switch block {
        case .paragraph(let text):
            return [text]
        case let .alert(text, details, _):
            return ["> **\(text)**"] + details.map { "> - \($0)" }
        case .list(let items):
            return items.map { "- \($0)" }
        case .table(let table):
            return table.markdown
        case .charts(let charts):
            return ["Plots (in the HTML report): " + charts.map(\.title).joined(separator: "; ") + "."]
        }
    }
}

extension ReportTable {
    var markdown: [String] {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.indices.map { isNumeric(column: $0) ? "---:|" : "---|" }.joined()
        return [row(header), rule] + rows.map { row($0.map(\.text)) }
    }
}
