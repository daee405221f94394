import Measurement
import Testing

@Suite struct PrometheusTextTests {
    /// As coturn's --prometheus and swift-prometheus write it, with what the format allows
    /// beyond: labels holding braces, spaces and escaped quotes, timestamps, infinities.
    static let exposition = """
        # HELP turn_total_allocations Represents current allocations number
        # TYPE turn_total_allocations gauge
        turn_total_allocations{type="UDP"} 42
        turnload_relay_packets_total{direction="to_peer"} 1.5e3 1700000000000
        odd{path="/a{b} c",quote="say \\"hi\\""} -Inf
          process_open_fds 17
        process_resident_memory_bytes 5.24288e+07

        broken{label="never closed 3
        no_value
        """

    @Test func readsSeriesNamesAndValues() {
        let samples = PrometheusText.parse(Self.exposition)
        #expect(
            samples.map(\.name) == [
                "turn_total_allocations", "turnload_relay_packets_total", "odd", "process_open_fds", "process_resident_memory_bytes",
            ])
        #expect(samples[0] == PrometheusSample(series: "turn_total_allocations{type=\"UDP\"}", name: "turn_total_allocations", value: 42))
        #expect(samples[1].value == 1500)
        #expect(samples[2].series == "odd{path=\"/a{b} c\",quote=\"say \\\"hi\\\"\"}")
        #expect(samples[2].value == -.infinity)
        #expect(samples[3] == PrometheusSample(series: "process_open_fds", name: "process_open_fds", value: 17))
        #expect(samples[4].value == 52_428_800)
    }
}
