/// Fixed-point decimal rendering without Foundation, for CSV cells and human sentences.
///
/// `Double.description` switches to exponent notation for small values ("1e-05"), which
/// neither a spreadsheet column nor a sentence wants.
public enum DecimalText {
    /// `value` rounded half away from zero to exactly `decimals` places: `fixed(7.06, 1) == "7.1"`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return value.description }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let fraction = String(units % UInt64(scale))
        let padding = String(repeating: "0", count: decimals - fraction.count)
        return sign + String(whole) + "." + padding + fraction
    }

    /// Like `fixed` but without trailing zeros: `short(5.0, 1) == "5"`, `short(7.14, 1) == "7.1"`.
    public static func short(_ value: Double, decimals: Int = 1) -> String {
        var text = fixed(value, decimals: decimals)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
