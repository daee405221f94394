extension Duration {
    /// A length of time as the command line and scenarios write it: `30s`, `2m`, `1h`, `500ms`,
    /// or bare seconds, to the millisecond; nil for anything else, a negative time, or one too
    /// long to hold (which would trap the conversion).
    public init?(text: String) {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) && Double(text.dropLast($0.suffix.count)) != nil }
        guard let value = Double(unit.map { String(text.dropLast($0.suffix.count)) } ?? text), value >= 0 else { return nil }
        let milliseconds = (value * (unit?.seconds ?? 1) * 1000).rounded()
        guard milliseconds < 9.0e18 else { return nil }
        self = .milliseconds(Int64(milliseconds))
    }
}
