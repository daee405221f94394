import Foundation
import Measurement

extension Distribution {
    /// The percentile curve in milliseconds against percentiles spread evenly on the nines
    /// axis (0 to 99.99 %), as HdrHistogram plots it; empty without samples.
    var percentileCurve: [ChartPoint] {
        guard count > 0 else { return [] }
        return (0...80).map { step in
            let percentile = 100 * (1 - pow(10, -Double(step) / 20))
            return ChartPoint(percentile, Double(self.percentile(percentile)) / 1e6)
        }
    }
}
