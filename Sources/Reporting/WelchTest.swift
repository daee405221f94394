/// Welch's t-test for two independent samples with unequal variances, two-sided at 95 %: do
/// two sets of repeated runs differ by more than their run-to-run spread explains?
///
/// Welch rather than Student because two endpoints need not vary alike; two-sided because a
/// comparison asks "different?", and the direction is read from the means.
enum WelchTest {
    /// Whether the means differ at 95 %; nil when either sample has fewer than two values
    /// (no spread to judge by). Two samples without any spread differ exactly when their means do.
    static func differs(_ a: [Double], _ b: [Double]) -> Bool? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let (meanA, varianceA) = moments(a)
        let (meanB, varianceB) = moments(b)
        let (shareA, shareB) = (varianceA / Double(a.count), varianceB / Double(b.count))
        let standardError = (shareA + shareB).squareRoot()
        guard standardError > 0 else { return meanA != meanB }
        let t = abs(meanA - meanB) / standardError
        // Welch–Satterthwaite degrees of freedom.
        let freedom =
            (shareA + shareB) * (shareA + shareB)
            / (shareA * shareA / Double(a.count - 1) + shareB * shareB / Double(b.count - 1))
        return t > criticalT(freedom)
    }

    /// Mean and unbiased sample variance.
    static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        return (mean, values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1))
    }

    /// Student's t at 97.5 % (two-sided 95 %) for `freedom` degrees of freedom: the printed
    /// table, interpolated in 1/df between its rows (accurate to about 0.1 % between them).
    static func criticalT(_ freedom: Double) -> Double {
        let df = max(1, freedom)
        guard let upper = table.firstIndex(where: { $0.df >= df }) else { return 1.959964 }
        guard upper > 0 else { return table[0].t }
        let (low, high) = (table[upper - 1], table[upper])
        let fraction = (1 / low.df - 1 / df) / (1 / low.df - 1 / high.df)
        return low.t + fraction * (high.t - low.t)
    }

    private static let table: [(df: Double, t: Double)] = [
        (1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (6, 2.447), (7, 2.365), (8, 2.306), (9, 2.262),
        (10, 2.228), (11, 2.201), (12, 2.179), (13, 2.160), (14, 2.145), (15, 2.131), (16, 2.120), (17, 2.110),
        (18, 2.101), (19, 2.093), (20, 2.086), (22, 2.074), (24, 2.064), (26, 2.056), (28, 2.048), (30, 2.042),
        (40, 2.021), (60, 2.000), (120, 1.980), (1e9, 1.960),
    ]
}
