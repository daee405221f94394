import Measurement

extension DecimalText {
    /// `short`, with thousands separated by commas: `grouped(1234567.8, decimals: 0) == "1,234,568"`.
    static func grouped(_ value: Double, decimals: Int = 0) -> String {
        let text = short(value, decimals: decimals)
        let sign = text.hasPrefix("-") ? "-" : ""
        let unsigned = text.dropFirst(sign.count)
        let whole = unsigned.prefix { $0 != "." }
        guard whole.count > 3, whole.allSatisfy(\.isNumber) else { return text }
        var groups: [Substring] = []
        var end = whole.endIndex
        while end > whole.startIndex {
            let start = whole.index(end, offsetBy: -3, limitedBy: whole.startIndex) ?? whole.startIndex
            groups.insert(whole[start..<end], at: 0)
            end = start
        }
        return sign + groups.joined(separator: ",") + unsigned.dropFirst(whole.count)
    }
}
