/// A list of `KEY=COUNT`, each key once and each count a whole number in a range, as
/// `--mix udp=70,tcp=20` and `--abuse invalid=200,binding=50` take it: parsed, and refused,
/// alike.
public enum KeyedCounts {
    /// How one option writes its list, for its refusals.
    public struct Form: Sendable, Equatable {
        /// `TRANSPORT=WEIGHT`.
        public var pattern: String
        /// `transport`: what each key names.
        public var keyNoun: String
        /// The keys there are.
        public var keys: [String]
        /// `weight`: what each count is.
        public var countNoun: String
        /// `a whole number from 1 to 1000000`.
        public var countRule: String
        public var counts: ClosedRange<Int>
        /// `udp=70,tcp=20,tls=10`.
        public var example: String

        public init(
            pattern: String, keyNoun: String, keys: [String], countNoun: String, countRule: String, counts: ClosedRange<Int>,
            example: String
        ) {
            self.pattern = pattern
            self.keyNoun = keyNoun
            self.keys = keys
            self.countNoun = countNoun
            self.countRule = countRule
            self.counts = counts
            self.example = example
        }
    }

    /// The keys and their counts in the order given.
    public static func parse<Key: RawRepresentable & Equatable>(
        _ text: String, as form: Form, keys: Key.Type = Key.self
    ) throws(KeyedCountsError) -> [(key: Key, count: Int)] where Key.RawValue == String {
        var entries: [(key: Key, count: Int)] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let key = Key(rawValue: String(parts[0])) else { throw KeyedCountsError(.form(String(entry)), form) }
            guard let count = Int(parts[1]), form.counts.contains(count) else { throw KeyedCountsError(.count(String(entry)), form) }
            guard !entries.contains(where: { $0.key == key }) else { throw KeyedCountsError(.twice(key.rawValue), form) }
            entries.append((key, count))
        }
        return entries
    }
}

public struct KeyedCountsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// An entry that is not KEY=COUNT with a known key.
        case form(String)
        /// An entry whose count is not a whole number in range.
        case count(String)
        /// A key given twice.
        case twice(String)
    }

    public let problem: Problem
    public let form: KeyedCounts.Form

    public init(_ problem: Problem, _ form: KeyedCounts.Form) {
        self.problem = problem
        self.form = form
    }

    public var description: String {
        switch problem {
        case .form(let entry):
            "\(entry) is not \(form.pattern): give \(form.keys.joined(separator: ", ")) and a \(form.countNoun), e.g. \(form.example)"
        case .count(let entry): "\(entry): a \(form.countNoun) is \(form.countRule)"
        case .twice(let key): "\(key) is given twice: give each \(form.keyNoun) once"
        }
    }
}
