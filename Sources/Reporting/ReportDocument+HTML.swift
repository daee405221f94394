extension ReportDocument {
    /// The report as one self-contained HTML page, its plots inline SVG.
    public var html: String {
        var chartNumber = 0
        var body = [
            "<header class=\"\(tone.rawValue)\">", "<h1>\(title.markupEscaped)</h1>",
            "<p class=\"facts\">\(facts.map(\.markupEscaped).joined(separator: " · "))</p>",
            "<p class=\"headline\">\(Self.inline(headline))</p>", "</header>", "<main>",
        ]
        for section in sections {
            body.append("<section>")
            body.append("<h2>\(section.title.markupEscaped)</h2>")
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    body.append("<p>\(Self.inline(text))</p>")
                case let .alert(text, details, tone):
                    body.append(
                        "<div class=\"alert \(tone.rawValue)\" role=\"alert\"><strong>\(Self.inline(text))</strong>"
                            + (details.isEmpty ? "" : "<ul>" + details.map { "<li>\(Self.inline($0))</li>" }.joined() + "</ul>") + "</div>")
                case .list(let items) where !items.isEmpty:
                    body.append("<ul>" + items.map { "<li>\(Self.inline($0))</li>" }.joined() + "</ul>")
                case .list:
                    break
                case .table(let table):
                    body.append(table.html)
                case .charts(let charts):
                    body.append("<div class=\"charts\">")
                    for chart in charts {
                        chartNumber += 1
                        body.append("<figure>\(chart.svg(id: "chart-\(chartNumber)"))</figure>")
                    }
                    body.append("</div>")
                }
            }
            body.append("</section>")
        }
        body.append("</main>")
        return HTMLTemplate.page(title: title, body: body.joined(separator: "\n"))
    }

    /// Escaped text whose `code` and **strong** spans are marked up as the Markdown shows them.
    static func inline(_ text: String) -> String {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().map { index, part in
            if index % 2 == 1 { return "<code>\(String(part).markupEscaped)</code>" }
            return part.split(separator: "**", omittingEmptySubsequences: false).enumerated().map { index, part in
                index % 2 == 1 ? "<strong>\(String(part).markupEscaped)</strong>" : String(part).markupEscaped
            }.joined()
        }.joined()
    }
}

extension ReportTable {
    var html: String {
        let numeric = header.indices.map { isNumeric(column: $0) }
        let head = header.enumerated().map { "<th\(numeric[$0.offset] ? " class=\"num\"" : "")>\($0.element.markupEscaped)</th>" }
        let body = rows.map { row in
            "<tr>"
                + row.enumerated().map { column, cell in
                    let classes = [
                        column < numeric.count && numeric[column] ? "num" : nil, cell.tone == .neutral ? nil : cell.tone.rawValue,
                    ]
                    .compactMap { $0 }
                    return "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(cell.text.markupEscaped)</td>"
                }.joined() + "</tr>"
        }
        return
            "<div class=\"table\"><table><thead><tr>\(head.joined())</tr></thead><tbody>\n"
            + "\(body.joined(separator: "\n"))\n</tbody></table></div>"
    }
}
