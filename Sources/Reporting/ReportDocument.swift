/// A report as data, rendered to Markdown (`markdown`) and to a self-contained HTML page
/// (`html`) from the same content, so that the two files never disagree.
public struct ReportDocument: Sendable, Equatable {
    /// "turnload run — in-process relay".
    public var title: String
    /// The facts under the title: date, status, load.
    public var facts: [String]
    /// The one sentence a reader wants first.
    public var headline: String
    /// How the header is coloured: the verdict at a glance.
    public var tone: Tone
    public var sections: [Section]

    public init(title: String, facts: [String], headline: String, tone: Tone, sections: [Section]) {
        self.title = title
        self.facts = facts
        self.headline = headline
        self.tone = tone
        self.sections = sections
    }

    public struct Section: Sendable, Equatable {
        public var title: String
        public var blocks: [Block]

        public init(_ title: String, _ blocks: [Block]) {
            self.title = title
            self.blocks = blocks
        }
    }

    public enum Block: Sendable, Equatable {
        /// Text in which `code` spans are kept as code.
        case paragraph(String)
        /// A warning that must not be missed, with its reasons.
        case alert(String, details: [String], tone: Tone)
        case list([String])
        case table(ReportTable)
        case charts([LineChart])
    }

    public enum Tone: String, Sendable, Equatable {
        case pass, fail, warn, neutral
    }
}

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
