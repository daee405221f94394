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
