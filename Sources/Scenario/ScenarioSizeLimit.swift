/// Bounds on a scenario's text, checked before libyaml and Yams see it. A scenario is a few
/// dozen `key: value` lines; a file far larger, or one that repeats nodes through many YAML
/// aliases (`*name`), is not one. Found by fuzzing: a "billion laughs" file (each anchor a
/// list of two aliases of the one before) made Yams spend minutes hashing the expanded keys
/// while it checked them for duplicates; with at most `maxAliases` aliases any expansion stays
/// a few hundred copies of a file of at most `maxBytes`.
enum ScenarioSizeLimit {
    static let maxBytes = 256 * 1024
    static let maxAliases = 16

    /// The problem with `yaml`'s size, or nil when it is within the bounds.
    static func problem(_ yaml: String) -> String? {
        let bytes = yaml.utf8.count
        if bytes > maxBytes {
            return "the scenario is \(bytes) bytes, more than the \(maxBytes) a scenario may be: write its keys, one a line"
        }
        let aliases = aliasCount(yaml)
        if aliases > maxAliases {
            return "the scenario uses \(aliases) YAML aliases (`*name`), more than the \(maxAliases) a scenario may use: "
                + "write the values out"
        }
        return nil
    }

    /// The `*` that can start an alias: after a space, a line break, a flow indicator or at the
    /// start, and before a name. Quotes and comments are not told apart, so a `*` there may
    /// count too; that only errs toward refusing a file with more than `maxAliases` of them.
    static func aliasCount(_ yaml: String) -> Int {
        var count = 0
        var previous: UInt8? = nil
        var starAt: Bool = false
        for byte in yaml.utf8 {
            if starAt, !separates(byte) { count += 1 }
            starAt = byte == UInt8(ascii: "*") && (previous.map { separates($0) || $0 == UInt8(ascii: ":") } ?? true)
            previous = byte
        }
        return count
    }

    private static func separates(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","):
            true
        default:
            false
        }
    }
}
