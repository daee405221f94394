/// A whole number below zero in a result read back: counts, bytes and clients never are, and
/// merging or comparing a file edited by hand (or cut by a tool) into one would add figures that
/// mean nothing. The path names the field as the file does, `outcome.towardPeer.lost`.
public struct NegativeCount: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var value: String

    public var description: String { "\(field) is \(value), and no count in a result is below zero (was the file edited?)" }

    /// Throws for the first whole number below zero in `value`, walked field by field.
    static func check(_ value: Any) throws(NegativeCount) {
        if let found = first(in: value, path: "") { throw found }
    }

    private static func first(in value: Any, path: String) -> NegativeCount? {
        if let number = value as? any BinaryInteger {
            return isNegative(number) ? NegativeCount(field: path, value: "\(number)") : nil
        }
        for (index, child) in Mirror(reflecting: value).children.enumerated() {
            // An optional's value and a dictionary entry's parts are not fields of the file.
            let step =
                switch child.label {
                case nil: "[\(index)]"
                case "some"?: ""
                case let label?: path.isEmpty ? label : ".\(label)"
                }
            if let found = first(in: child.value, path: path + step) { return found }
        }
        return nil
    }

    private static func isNegative<Number: BinaryInteger>(_ number: Number) -> Bool { number < 0 }
}
