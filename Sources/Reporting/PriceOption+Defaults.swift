import Measurement

extension PriceOption {
    /// The price table used when none is given: a hosted relay billing only its traffic to
    /// clients, as the largest provider does, and self-hosted instances sized by the measured
    /// clean capacity, paying cloud egress.
    public static let defaults: [PriceOption] = [
        PriceOption(name: "hosted, $0.05/GB from-relay, 1,000 GB free",
                    pricing: .traffic(dollarsPerGB: 0.05, freeGB: 1000, billed: .fromRelay)),
        PriceOption(name: "self-hosted, $0.096/h instances + $0.09/GB egress",
                    pricing: .instances(dollarsPerHour: 0.096, callsPerInstance: nil, egressDollarsPerGB: 0.09)),
    ]
}
