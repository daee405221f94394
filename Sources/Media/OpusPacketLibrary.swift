internal import COpus
import RunModel

/// A few seconds of speech encoded once with libopus, from which every simulated call sends at
/// its own offset: encoding never limits scale, and every payload is real Opus. All packets sit
/// in one contiguous array, so that sending one allocates nothing.
public final class OpusPacketLibrary: Sendable {
    public let settings: OpusSettings
    /// The `SpeechSignal` seed the audio came from.
    public let seed: UInt64
    /// Packet `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    private let bytes: [UInt8]
    private let offsets: [Int]
    private let talkSpurtStarts: [Bool]

    /// Mean length of the packets a sender transmits (DTX silence excluded).
    public let meanPayloadBytes: Double
    public let maxPayloadBytes: Int
    /// The share of frames a sender transmits: 1 without DTX.
    public let sentPacketFraction: Double

    /// The codec, as results name it.
    public static let codec = "opus"
    /// The linked libopus's own version string, e.g. "libopus 1.4".
    public static var encoderVersion: String { String(cString: opus_get_version_string()) }

    /// With DTX, libopus returns packets of at most 2 bytes for silence (opus_encode's documentation).
    static let silentPacketMaxBytes = 2

    private init(settings: OpusSettings, seed: UInt64, bytes: [UInt8], offsets: [Int], talkSpurtStarts: [Bool]) {
        self.settings = settings
        self.seed = seed
        self.bytes = bytes
        self.offsets = offsets
        self.talkSpurtStarts = talkSpurtStarts
        let lengths = zip(offsets.dropFirst(), offsets).map { $0 - $1 }
        let sent = lengths.filter { $0 > Self.silentPacketMaxBytes }
        meanPayloadBytes = sent.isEmpty ? 0 : Double(sent.reduce(0, +)) / Double(sent.count)
        maxPayloadBytes = lengths.max() ?? 0
        sentPacketFraction = lengths.isEmpty ? 0 : Double(sent.count) / Double(lengths.count)
    }

    /// Encodes at least `seconds` of `SpeechSignal(seed:)`, continued until a pause so that the
    /// loop's seam falls in silence and its first frame starts a talk spurt.
    public static func encode(_ settings: OpusSettings, seconds: Int = 10, seed: UInt64 = 1) throws(MediaError)
        -> OpusPacketLibrary
    {
        let settings = try settings.validated()
        guard seconds >= 1 else { throw .invalidLibrarySeconds(seconds) }
        let encoder = try OpusVoiceEncoder(settings)
        var signal = SpeechSignal(seed: seed)
        var pcm = [Int16](repeating: 0, count: Int(settings.samplesPerFrame))
        var packet = [UInt8](repeating: 0, count: OpusVoiceEncoder.maxPacketBytes)
        let minimumFrames = seconds * 1000 / settings.frameMilliseconds
        var bytes: [UInt8] = []
        bytes.reserveCapacity(seconds * settings.bitrate / 8 * 3 / 2)
        var offsets = [0]
        var talkSpurtStarts: [Bool] = []
        var spurtAwaitingPacket = false
        var activity = SpeechSignal.Activity.talk
        while talkSpurtStarts.count < minimumFrames || activity != .pause {
            activity = signal.fill(&pcm)
            let length = try encoder.encode(pcm, into: &packet)
            bytes.append(contentsOf: packet[..<length])
            offsets.append(bytes.count)
            // Under DTX a spurt's first frame may still come out silent; the marker then goes
            // on the first packet actually sent, where a receiver sees the spurt begin.
            spurtAwaitingPacket = spurtAwaitingPacket || activity == .talkSpurtStart
            let sent = length > silentPacketMaxBytes
            talkSpurtStarts.append(spurtAwaitingPacket && sent)
            if sent { spurtAwaitingPacket = false }
        }
        return OpusPacketLibrary(settings: settings, seed: seed, bytes: bytes, offsets: offsets, talkSpurtStarts: talkSpurtStarts)
    }

    /// The number of packets, one per frame.
    public var count: Int { talkSpurtStarts.count }

    /// Lends packet `index`'s bytes without copying them.
    public func withPayload<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offsets[index]..<offsets[index + 1]])) }
    }

    /// Whether packet `index` is the first one sent in a talk spurt: its RTP marker bit is set.
    public func startsTalkSpurt(_ index: Int) -> Bool { talkSpurtStarts[index] }

    /// Whether packet `index` is DTX silence, which a sender does not transmit: the RTP timestamp
    /// moves on past it, the sequence number does not.
    public func isSilent(_ index: Int) -> Bool { offsets[index + 1] - offsets[index] <= Self.silentPacketMaxBytes }

    /// Bits per second of transmitted Opus payload over the library's duration.
    public var payloadBitrate: Double { meanPayloadBytes * 8 * sentPacketFraction * settings.packetsPerSecond }
}
