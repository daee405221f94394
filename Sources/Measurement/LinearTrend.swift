/// The least-squares line through points: how fast a figure grows, not where it happened to
/// start or end (one garbage collection, one burst of allocations does not make a trend).
public enum LinearTrend {
    /// The slope of `y` over `x`, or nil with fewer than two distinct `x`.
    public static func slope(_ points: [(x: Double, y: Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let count = Double(points.count)
        let meanX = points.map(\.x).reduce(0, +) / count
        let meanY = points.map(\.y).reduce(0, +) / count
        let spread = points.map { ($0.x - meanX) * ($0.x - meanX) }.reduce(0, +)
        guard spread > 0 else { return nil }
        return points.map { ($0.x - meanX) * ($0.y - meanY) }.reduce(0, +) / spread
    }
}
