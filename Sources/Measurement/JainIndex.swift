/// Jain's fairness index (R. Jain, D. Chiu, W. Hawe, DEC-TR-301, 1984): (Σx)² / (n·Σx²) over
/// what each of n parties got; 1 when all got the same, 1/n when one got everything.
public enum JainIndex {
    /// Nil with no party, or when none got anything (nothing to share out).
    public static func of(_ shares: [Double]) -> Double? {
        let sum = shares.reduce(0, +)
        let squares = shares.reduce(0) { $0 + $1 * $1 }
        guard !shares.isEmpty, squares > 0 else { return nil }
        return sum * sum / (Double(shares.count) * squares)
    }
}
