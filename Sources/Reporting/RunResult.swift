import Foundation
import Measurement
import RunModel

/// One run against one endpoint, as `result.json` holds it: what was asked, where it ran, and
/// everything measured. Versioned: readers check `schemaVersion` (see results/README.md).
/// Credentials are never part of it.
public struct RunResult: Sendable, Codable {
    public static let currentSchemaVersion = 1

    public var schemaVersion = RunResult.currentSchemaVersion
    public var turnloadVersion: String
    /// The endpoint's URI, or "in-process relay".
    public var target: String
    public var startedAt: Date
    public var configuration: RunConfiguration
    public var media: MediaFacts
    public var environment: RunEnvironment
    public var outcome: LoadOutcome
    /// The in-process relay's own counters, when it was the target: the ground truth of the
    /// impairment it injected (packets dropped, copies made).
    public var embeddedRelay: RelayCounters?
    /// This process's share of a load run by several (`--shard`); `configuration.clients` is
    /// the whole load's, `outcome` this share's.
    public var shard: ShardAssignment?
    /// When the run was to start (`--start-at`), the same for every shard.
    public var scheduledStart: Date?
    /// The shards a merged run was made of (`turnload merge`).
    public var parts: [MergedPart]?
    /// A local process watched through the run (`--watch-pid`), typically the relay under test.
    public var watched: WatchedProcess?
    /// A Prometheus endpoint scraped through the run (`--watch-metrics`), typically the relay's.
    public var scraped: ScrapedMetrics?

    public init(
        turnloadVersion: String, target: String, startedAt: Date, configuration: RunConfiguration,
        media: MediaFacts, outcome: LoadOutcome, embeddedRelay: RelayCounters? = nil,
        shard: ShardAssignment? = nil, scheduledStart: Date? = nil
    ) {
        self.turnloadVersion = turnloadVersion
        self.target = target
        self.startedAt = startedAt
        self.configuration = configuration
        self.media = media
        environment = RunEnvironment.current()
        self.outcome = outcome
        self.embeddedRelay = embeddedRelay
        self.shard = shard
        self.scheduledStart = scheduledStart
    }
}

/// The load as configured, in plain units.
public struct RunConfiguration: Sendable, Codable, Equatable {
    public var clients: Int
    public var durationSeconds: Double
    public var rampPerSecond: Int
    public var topology: Topology
    public var transport: String
    public var media: OpusSettings
    public var jitterBufferMilliseconds: Double
    public var drainSeconds: Double
    public var threads: Int
    /// The in-process relay's shaping, when it was the target.
    public var embeddedRelay: Bool
    public var relayImpairment: String?
    public var relayMaxPps: Int?
    /// The in-process relay's threads (absent in older results and against other relays).
    public var relayThreads: Int?
    /// Seeds the media and the streams' SSRCs and sequence numbers (absent in older results).
    public var seed: UInt64?
    /// Media in Send and Data indications instead of ChannelData (`--indications`; absent when not).
    public var indications: Bool?

    public init(
        clients: Int, durationSeconds: Double, rampPerSecond: Int, topology: Topology, transport: String, media: OpusSettings,
        jitterBufferMilliseconds: Double, drainSeconds: Double, threads: Int, embeddedRelay: Bool, relayImpairment: String?,
        relayMaxPps: Int?, seed: UInt64?
    ) {
        self.clients = clients
        self.durationSeconds = durationSeconds
        self.rampPerSecond = rampPerSecond
        self.topology = topology
        self.transport = transport
        self.media = media
        self.jitterBufferMilliseconds = jitterBufferMilliseconds
        self.drainSeconds = drainSeconds
        self.threads = threads
        self.embeddedRelay = embeddedRelay
        self.relayImpairment = relayImpairment
        self.relayMaxPps = relayMaxPps
        self.seed = seed
    }
}

/// What the packet library turned out to be: real Opus, so its sizes are measured, not set.
public struct MediaFacts: Sendable, Codable {
    public var packets: Int
    public var meanPayloadBytes: Double
    public var maxPayloadBytes: Int
    /// The share of frames sent (DTX leaves out silence).
    public var sentPacketFraction: Double
    public var payloadBitsPerSecond: Double
    /// "opus" (absent in older results).
    public var codec: String?
    /// The encoder's own version string, e.g. "libopus 1.4" (absent in older results).
    public var encoder: String?

    public init(
        packets: Int, meanPayloadBytes: Double, maxPayloadBytes: Int, sentPacketFraction: Double, payloadBitsPerSecond: Double,
        codec: String? = nil, encoder: String? = nil
    ) {
        self.packets = packets
        self.meanPayloadBytes = meanPayloadBytes
        self.maxPayloadBytes = maxPayloadBytes
        self.sentPacketFraction = sentPacketFraction
        self.payloadBitsPerSecond = payloadBitsPerSecond
        self.codec = codec
        self.encoder = encoder
    }
}

/// Where the run ran, so that results from different machines are not compared blindly.
public struct RunEnvironment: Sendable, Codable {
    public var hostname: String
    public var operatingSystem: String
    public var cores: Int
    public var memoryBytes: UInt64

    static func current() -> RunEnvironment {
        let info = ProcessInfo.processInfo
        return RunEnvironment(
            hostname: info.hostName, operatingSystem: info.operatingSystemVersionString,
            cores: info.activeProcessorCount, memoryBytes: info.physicalMemory)
    }
}
