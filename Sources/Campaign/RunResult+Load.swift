import LoadEngine
import Media
import Reporting
import RunModel

extension RunConfiguration {
    /// The load as configured, in the plain units `result.json` keeps.
    public init(_ load: LoadConfiguration, transport: String, embeddedRelay: Bool, relayImpairment: String?, relayMaxPps: Int?) {
        self.init(
            clients: load.clients, durationSeconds: load.duration / .seconds(1), rampPerSecond: load.rampPerSecond,
            topology: load.topology, transport: transport, media: load.media,
            jitterBufferMilliseconds: load.jitterBuffer / .milliseconds(1), drainSeconds: load.drain / .seconds(1),
            threads: load.threads, embeddedRelay: embeddedRelay, relayImpairment: relayImpairment, relayMaxPps: relayMaxPps,
            seed: load.seed)
        indications = load.indications ? true : nil
    }
}

extension MediaFacts {
    /// What the packet library turned out to be: real Opus, so its sizes are measured.
    public init(_ library: OpusPacketLibrary) {
        self.init(
            packets: library.count, meanPayloadBytes: library.meanPayloadBytes, maxPayloadBytes: library.maxPayloadBytes,
            sentPacketFraction: library.sentPacketFraction, payloadBitsPerSecond: library.payloadBitrate,
            codec: OpusPacketLibrary.codec, encoder: OpusPacketLibrary.encoderVersion)
    }
}
