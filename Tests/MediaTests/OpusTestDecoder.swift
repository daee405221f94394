import COpus

/// A libopus decoder for checking that every library packet is real Opus.
struct OpusTestDecoder: ~Copyable {
    /// 120 ms at 48 kHz, the longest an Opus packet can hold.
    static let maxFrameSamples = 5760
    private let decoder: OpaquePointer
    private var pcm = [Int16](repeating: 0, count: maxFrameSamples)

    init() {
        var status = OPUS_OK
        decoder = opus_decoder_create(48_000, 1, &status)!
        precondition(status == OPUS_OK)
    }

    deinit {
        opus_decoder_destroy(decoder)
    }

    /// The decoded samples, or libopus's negative error code.
    mutating func decode(_ payload: UnsafeRawBufferPointer) -> Result<ArraySlice<Int16>, OpusStatus> {
        let bytes = payload.bindMemory(to: UInt8.self)
        let count = opus_decode(decoder, bytes.baseAddress, Int32(bytes.count), &pcm, Int32(Self.maxFrameSamples), 0)
        return count < 0 ? .failure(OpusStatus(code: count)) : .success(pcm[..<Int(count)])
    }
}

struct OpusStatus: Error, CustomStringConvertible {
    let code: Int32
    var description: String { String(cString: opus_strerror(code)) }
}

/// opus_packet_get_nb_samples: what the packet's TOC byte says it holds.
func samplesInPacket(_ payload: UnsafeRawBufferPointer) -> Int32 {
    let bytes = payload.bindMemory(to: UInt8.self)
    return opus_packet_get_nb_samples(bytes.baseAddress!, Int32(bytes.count), 48_000)
}

/// Mean square of the samples, in Int16 units squared.
func energy(_ samples: some Collection<Int16>) -> Double {
    samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))
}
