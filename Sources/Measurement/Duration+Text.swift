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

extension Duration {
    /// In the largest unit the time is a whole number of, as `init(text:)` reads it: `90s`,
    /// `3m`, `250ms`.
    public var text: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        let units: [(suffix: String, milliseconds: Int64)] = [("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        guard milliseconds > 0, let unit = units.first(where: { milliseconds % $0.milliseconds == 0 }) else {
            return "\(milliseconds)ms"
        }
        return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
    }
}
