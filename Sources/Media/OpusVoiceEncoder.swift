internal import COpus
import RunModel

/// One libopus encoder set up as a WebRTC sender sets it up, destroyed with its owner.
struct OpusVoiceEncoder: ~Copyable {
    /// libopus's own advice for opus_encode's output capacity: enough for any frame size.
    static let maxPacketBytes = 4000
    /// libwebrtc's desktop default. Encoding happens once per run, so its cost does not matter,
    /// and at 7 or more libopus also runs the signal analysis that its DTX decisions use.
    static let complexity: Int32 = 9
    /// The loss rate FEC is tuned for: at 0 libopus spends no bits on FEC even when enabled.
    static let expectedLossPercent: Int32 = 10

    private let encoder: OpaquePointer

    init(_ settings: OpusSettings) throws(MediaError) {
        var status = OPUS_OK
        let created = opus_encoder_create(Int32(OpusSettings.rtpClockRate), 1, OPUS_APPLICATION_VOIP, &status)
        guard let created, status == OPUS_OK else { throw .opus(call: "opus_encoder_create", code: status) }
        do {
            try Self.configure(created, settings)
        } catch {
            opus_encoder_destroy(created)
            throw error
        }
        encoder = created
    }

    deinit {
        opus_encoder_destroy(encoder)
    }

    private static func configure(_ encoder: OpaquePointer, _ settings: OpusSettings) throws(MediaError) {
        try check(turnload_opus_set_signal_voice(encoder), "OPUS_SET_SIGNAL")
        try check(turnload_opus_set_complexity(encoder, complexity), "OPUS_SET_COMPLEXITY")
        try check(turnload_opus_set_bitrate(encoder, Int32(settings.bitrate)), "OPUS_SET_BITRATE")
        try check(turnload_opus_set_vbr(encoder, settings.variableBitrate ? 1 : 0), "OPUS_SET_VBR")
        try check(turnload_opus_set_dtx(encoder, settings.discontinuousTransmission ? 1 : 0), "OPUS_SET_DTX")
        try check(turnload_opus_set_inband_fec(encoder, settings.forwardErrorCorrection ? 1 : 0), "OPUS_SET_INBAND_FEC")
        let lossPercent = settings.forwardErrorCorrection ? expectedLossPercent : 0
        try check(turnload_opus_set_packet_loss_perc(encoder, lossPercent), "OPUS_SET_PACKET_LOSS_PERC")
    }

    private static func check(_ status: Int32, _ call: String) throws(MediaError) {
        guard status == OPUS_OK else { throw .opus(call: "opus_encoder_ctl(\(call))", code: status) }
    }

    /// Encodes one frame of `pcm` into the start of `packet`; returns the packet's length.
    func encode(_ pcm: [Int16], into packet: inout [UInt8]) throws(MediaError) -> Int {
        let length = opus_encode(encoder, pcm, Int32(pcm.count), &packet, Int32(packet.count))
        guard length >= 0 else { throw .opus(call: "opus_encode", code: length) }
        return Int(length)
    }
}
