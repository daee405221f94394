/// A table whose numbers align right and whose verdict cells carry their tone.
public struct ReportTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[Cell]]

    public init(header: [String], rows: [[Cell]]) {
        self.header = header
        self.rows = rows
    }

    public struct Cell: Sendable, Equatable, ExpressibleByStringLiteral {
        public var text: String
        public var numeric: Bool
        public var tone: ReportDocument.Tone

        public init(_ text: String, numeric: Bool = false, tone: ReportDocument.Tone = .neutral) {
            self.text = text
            self.numeric = numeric
            self.tone = tone
        }

        public init(stringLiteral text: String) {
            self.init(text)
        }

        public static func number(_ text: String, tone: ReportDocument.Tone = .neutral) -> Cell {
            Cell(text, numeric: true, tone: tone)
        }

        /// ✓ or ✗ with its colour.
        public static func verdict(_ passed: Bool) -> Cell {
            Cell(passed ? "✓" : "✗", tone: passed ? .pass : .fail)
        }
    }

    /// Whether a column holds numbers (right-aligned): every non-empty cell in it does.
    func isNumeric(column: Int) -> Bool {
        let cells = rows.compactMap { column < $0.count ? $0[column] : nil }.filter { !$0.text.isEmpty && $0.text != "—" }
        return !cells.isEmpty && cells.allSatisfy(\.numeric)
    }
}
