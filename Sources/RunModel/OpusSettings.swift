/// How the packet library is encoded: what a WebRTC sender would negotiate for Opus.
public struct OpusSettings: Sendable, Hashable, Codable {
    /// Target bits per second of Opus payload (RTP and transport overhead excluded).
    public var bitrate: Int
    /// Audio per packet: 10, 20 (WebRTC's default), 40 or 60 ms.
    public var frameMilliseconds: Int
    public var variableBitrate: Bool
    /// With DTX, libopus marks silence with ≤ 2-byte packets, which a sender does not transmit.
    public var discontinuousTransmission: Bool
    /// In-band FEC (LBRR): each packet also carries a coarse copy of the previous frame.
    public var forwardErrorCorrection: Bool

    public static let validFrameMilliseconds = [10, 20, 40, 60]
    public static let validBitrates = 6_000...510_000
    /// Opus always runs its RTP clock at 48 kHz (RFC 7587 §4.1), whatever the audio bandwidth.
    public static let rtpClockRate = 48_000

    public init(
        bitrate: Int = 32_000, frameMilliseconds: Int = 20, variableBitrate: Bool = true,
        discontinuousTransmission: Bool = false, forwardErrorCorrection: Bool = false
    ) {
        self.bitrate = bitrate
        self.frameMilliseconds = frameMilliseconds
        self.variableBitrate = variableBitrate
        self.discontinuousTransmission = discontinuousTransmission
        self.forwardErrorCorrection = forwardErrorCorrection
    }

    /// The RTP timestamp step from one packet to the next.
    public var samplesPerFrame: UInt32 { UInt32(Self.rtpClockRate / 1000 * frameMilliseconds) }

    public var frameInterval: Duration { .milliseconds(frameMilliseconds) }

    public var packetsPerSecond: Double { 1000 / Double(frameMilliseconds) }
}

extension OpusSettings {
    private enum CodingKeys: String, CodingKey {
        case bitrate, frameMilliseconds, variableBitrate, discontinuousTransmission, forwardErrorCorrection
    }

    /// Missing keys take the defaults, so a scenario file names only what it changes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = OpusSettings()
        self.init(
            bitrate: try container.decodeIfPresent(Int.self, forKey: .bitrate) ?? defaults.bitrate,
            frameMilliseconds: try container.decodeIfPresent(Int.self, forKey: .frameMilliseconds)
                ?? defaults.frameMilliseconds,
            variableBitrate: try container.decodeIfPresent(Bool.self, forKey: .variableBitrate)
                ?? defaults.variableBitrate,
            discontinuousTransmission: try container.decodeIfPresent(Bool.self, forKey: .discontinuousTransmission)
                ?? defaults.discontinuousTransmission,
            forwardErrorCorrection: try container.decodeIfPresent(Bool.self, forKey: .forwardErrorCorrection)
                ?? defaults.forwardErrorCorrection)
    }
}
