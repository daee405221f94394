import Measurement
import Testing

@Suite("cost projection")
struct CostProjectionTests {
    /// 1 MB out of the relay and 0.5 MB into it per call-minute.
    let volume = TrafficVolume(fromRelayBytes: 60_000_000, toRelayBytes: 30_000_000, callMinutes: 60)

    @Test func bytesPerMinuteAndPerMillionMinutes() {
        #expect(volume.fromRelayBytesPerMinute == 1_000_000)
        #expect(volume.fromRelayGBPerMillionMinutes == 1_000)
        #expect(volume.toRelayGBPerMillionMinutes == 500)
    }

    @Test func trafficBilledBeyondTheFreeTier() throws {
        let hosted = PriceOption(name: "hosted", pricing: .traffic(dollarsPerGB: 0.05, freeGB: 1000, billed: .fromRelay))
        let both = PriceOption(name: "both", pricing: .traffic(dollarsPerGB: 0.05, freeGB: 0, billed: .both))
        let projection = CostProjection(volume: volume, options: [hosted, both], minutesPerMonth: 3_000_000, cleanCapacity: nil)
        // 3,000 GB from the relay, 1,000 free: 2,000 × $0.05.
        #expect(try #require(projection.lines[0].monthlyDollars) == 100)
        #expect(try #require(projection.lines[1].monthlyDollars) == 4500 * 0.05)
        let under = CostProjection(volume: volume, options: [hosted], minutesPerMonth: 500_000, cleanCapacity: nil)
        #expect(under.lines[0].monthlyDollars == 0)
    }

    @Test func instancesSizedByTheCleanCapacity() throws {
        let selfHosted = PriceOption(name: "vm", pricing: .instances(dollarsPerHour: 0.1, callsPerInstance: nil, egressDollarsPerGB: 0))
        let projection = CostProjection(
            volume: volume, options: [selfHosted], minutesPerMonth: 1_000_000, peakCalls: 2_500,
            cleanCapacity: 1_000)
        #expect(try #require(projection.lines[0].monthlyDollars) == 3 * 0.1 * 730)
        #expect(projection.lines[0].detail.contains("3 instance(s) of 1000 calls (the measured clean capacity)"))
        let unknown = CostProjection(volume: volume, options: [selfHosted], minutesPerMonth: 1_000_000, cleanCapacity: nil)
        #expect(unknown.lines[0].monthlyDollars == nil)
    }

    /// Traffic pricing grows with the minutes, one instance is flat: they cross once, where
    /// both cost the same.
    @Test func breakEvenWhereTheCostsMeet() throws {
        let hosted = PriceOption(name: "hosted", pricing: .traffic(dollarsPerGB: 0.05, freeGB: 1000, billed: .fromRelay))
        let vm = PriceOption(name: "vm", pricing: .instances(dollarsPerHour: 0.1, callsPerInstance: 100_000, egressDollarsPerGB: 0))
        let projection = CostProjection(volume: volume, options: [hosted, vm], minutesPerMonth: 1_000_000, cleanCapacity: nil)
        let minutes = try #require(projection.breakEvens.first?.minutesPerMonth)
        // 73 $/month = (GB − 1000) × 0.05 → 2,460 GB → 2.46 million minutes.
        #expect(abs(minutes - 2_460_000) < 10)
    }
}
