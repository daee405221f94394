import Foundation
import LoadEngine
import Measurement
import Media
import TURNRelay

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

    public init(turnloadVersion: String, target: String, startedAt: Date, configuration: RunConfiguration,
                library: OpusPacketLibrary, outcome: LoadOutcome, embeddedRelay: RelayCounters? = nil) {
        self.turnloadVersion = turnloadVersion
        self.target = target
        self.startedAt = startedAt
        self.configuration = configuration
        media = MediaFacts(library)
        environment = RunEnvironment.current()
        self.outcome = outcome
        self.embeddedRelay = embeddedRelay
    }
}

/// The load as configured, in plain units.
public struct RunConfiguration: Sendable, Codable {
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

    public init(_ load: LoadConfiguration, transport: String, embeddedRelay: Bool, relayImpairment: String?, relayMaxPps: Int?) {
        clients = load.clients
        durationSeconds = load.duration / .seconds(1)
        rampPerSecond = load.rampPerSecond
        topology = load.topology
        self.transport = transport
        media = load.media
        jitterBufferMilliseconds = load.jitterBuffer / .milliseconds(1)
        drainSeconds = load.drain / .seconds(1)
        threads = load.threads
        self.embeddedRelay = embeddedRelay
        self.relayImpairment = relayImpairment
        self.relayMaxPps = relayMaxPps
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

    init(_ library: OpusPacketLibrary) {
        packets = library.count
        meanPayloadBytes = library.meanPayloadBytes
        maxPayloadBytes = library.maxPayloadBytes
        sentPacketFraction = library.sentPacketFraction
        payloadBitsPerSecond = library.payloadBitrate
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
        return RunEnvironment(hostname: info.hostName, operatingSystem: info.operatingSystemVersionString,
                              cores: info.activeProcessorCount, memoryBytes: info.physicalMemory)
    }
}
