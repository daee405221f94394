/// A share on the command line: `80%` or `0.8`, above 0 and at most 1. Options read it
/// through `OptionRange.share`, which says so.
struct FractionArgument: Sendable, CustomStringConvertible {
    let fraction: Double
    let description: String

    init?(argument: String) {
        let percent = argument.hasSuffix("%")
        guard let value = Double(percent ? String(argument.dropLast()) : argument), value.isFinite else { return nil }
        fraction = percent ? value / 100 : value
        guard fraction > 0, fraction <= 1 else { return nil }
        description = argument
    }
}

/// An amount of data in decimal units, as providers bill it: `90GB`, `500MB`, `1TB`, bytes.
/// Options read it through `OptionRange.volume`, which bounds it.
struct ByteCountArgument: Sendable, CustomStringConvertible {
    let bytes: Double
    let description: String

    init?(argument: String) {
        let units: [(suffix: String, bytes: Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("KB", 1e3), ("B", 1)]
        let unit = units.first { argument.hasSuffix($0.suffix) }
        guard let value = Double(unit.map { String(argument.dropLast($0.suffix.count)) } ?? argument), value > 0, value.isFinite
        else { return nil }
        bytes = value * (unit?.bytes ?? 1)
        description = argument
    }
}
