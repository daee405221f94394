import Measurement
import Yams

extension ScenarioReader {
    static let trafficKeys = ["per-gb", "free-gb", "billed"]
    static let instanceKeys = ["per-hour", "calls-per-instance", "egress-per-gb"]

    /// `pricing:`, a list of price options: providers billing traffic, instances you run.
    func prices(_ node: Node) throws(ScenarioError) -> [PriceOption] {
        guard case let .sequence(sequence) = node else {
            throw error("`pricing` is a list of price options, each starting with `- name: …`", at: node)
        }
        var prices: [PriceOption] = []
        for item in sequence {
            let price = try price(item)
            if prices.contains(where: { $0.name == price.name }) { throw error("two price options are named `\(price.name)`", at: item) }
            prices.append(price)
        }
        return prices
    }

    private func price(_ node: Node) throws(ScenarioError) -> PriceOption {
        var values: [String: Node] = [:]
        let known = ["name"] + Self.trafficKeys + Self.instanceKeys
        for (key, keyNode, value) in try entries(node, of: "a price option") {
            guard known.contains(key) else {
                let guess = KeySuggestion.nearest(to: key, among: known).map { "; did you mean `\($0)`?" } ?? ";"
                throw error(
                    "unknown key `\(key)` in a price option\(guess) a price option has a name, and per-gb, free-gb and "
                        + "billed for a provider billing traffic, or per-hour, calls-per-instance and egress-per-gb for instances",
                    at: keyNode)
            }
            values[key] = value
        }
        guard let nameNode = values["name"] else { throw error("a price option needs a `name`", at: node) }
        let name = try text(nameNode, of: "name")
        switch (values["per-gb"], values["per-hour"]) {
        case let (perGB?, nil):
            if let key = Self.instanceKeys.first(where: { values[$0] != nil }) {
                throw error("`\(key)` prices instances (with per-hour), but `\(name)` bills traffic (per-gb)", at: values[key]!)
            }
            return PriceOption(
                name: name,
                pricing: .traffic(
                    dollarsPerGB: try amount(perGB, of: "per-gb", example: "0.05"),
                    freeGB: try values["free-gb"].map { node throws(ScenarioError) in try amount(node, of: "free-gb", example: "1000") }
                        ?? 0,
                    billed: try values["billed"].map(billed) ?? .fromRelay))
        case let (nil, perHour?):
            if let key = Self.trafficKeys.first(where: { values[$0] != nil }) {
                throw error("`\(key)` prices traffic (with per-gb), but `\(name)` runs instances (per-hour)", at: values[key]!)
            }
            return PriceOption(
                name: name,
                pricing: .instances(
                    dollarsPerHour: try amount(perHour, of: "per-hour", example: "0.096"),
                    callsPerInstance: try values["calls-per-instance"].map(callsPerInstance),
                    egressDollarsPerGB: try values["egress-per-gb"].map { node throws(ScenarioError) in
                        try amount(node, of: "egress-per-gb", example: "0.09")
                    } ?? 0))
        case (nil, nil):
            throw error("price option `\(name)` needs per-gb (a provider billing traffic) or per-hour (instances you run)", at: node)
        case (_?, _?):
            throw error("price option `\(name)` has both per-gb and per-hour: make them two options", at: node)
        }
    }

    private func billed(_ node: Node) throws(ScenarioError) -> PriceOption.BilledTraffic {
        guard let billed = PriceOption.BilledTraffic(rawValue: try text(node, of: "billed")) else {
            throw error(
                "`billed` is one of " + PriceOption.BilledTraffic.allCases.map(\.rawValue).joined(separator: ", ")
                    + ": the traffic the provider charges for", at: node)
        }
        return billed
    }

    private func callsPerInstance(_ node: Node) throws(ScenarioError) -> Int {
        guard let calls = Int(try text(node, of: "calls-per-instance")), calls > 0 else {
            throw error(
                "`calls-per-instance` must be a whole number of calls above 0, such as 800; leave it out to use the "
                    + "measured clean capacity", at: node)
        }
        return calls
    }
}
