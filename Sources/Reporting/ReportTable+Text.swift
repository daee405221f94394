extension ReportTable {
    /// The table for a terminal: columns padded to their widest cell, two spaces apart.
    public var text: [String] {
        let cells = [header] + rows.map { $0.map(\.text) }
        let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            var line = zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
