import COpus
import Foundation
import Media

/// Loses every fourth sent frame (when the next one is sent too) and rebuilds it twice, once
/// from the next packet's in-band FEC and once by concealment, against a loss-free decoding.
struct FECProbe {
    private(set) var lostFrames = 0
    private(set) var differingFromConcealment = 0
    private(set) var recoveredSNR = 0.0
    private(set) var concealedSNR = 0.0

    init(_ library: OpusPacketLibrary) {
        let frameSamples = Int32(library.settings.samplesPerFrame)
        var status = OPUS_OK
        let reference = opus_decoder_create(48_000, 1, &status)!
        let recovering = opus_decoder_create(48_000, 1, &status)!
        let concealing = opus_decoder_create(48_000, 1, &status)!
        defer { [reference, recovering, concealing].forEach { opus_decoder_destroy($0) } }
        var original = [Int16](repeating: 0, count: Int(frameSamples))
        var recovered = original
        var concealed = original
        var signal = 0.0
        var recoveredError = 0.0
        var concealedError = 0.0
        for index in 0..<library.count {
            library.withPayload(index) { decode(reference, $0, into: &original, frameSamples) }
            let lost = index % 4 == 2 && index + 1 < library.count && !library.isSilent(index) && !library.isSilent(index + 1)
            guard lost else {
                library.withPayload(index) { decode(recovering, $0, into: &recovered, frameSamples) }
                library.withPayload(index) { decode(concealing, $0, into: &concealed, frameSamples) }
                continue
            }
            library.withPayload(index + 1) { decode(recovering, $0, into: &recovered, frameSamples, fec: true) }
            precondition(opus_decode(concealing, nil, 0, &concealed, frameSamples, 0) == frameSamples)
            lostFrames += 1
            if recovered != concealed { differingFromConcealment += 1 }
            for sample in 0..<Int(frameSamples) {
                let reference = Double(original[sample])
                signal += reference * reference
                recoveredError += (Double(recovered[sample]) - reference) * (Double(recovered[sample]) - reference)
                concealedError += (Double(concealed[sample]) - reference) * (Double(concealed[sample]) - reference)
            }
        }
        recoveredSNR = 10 * log10(signal / recoveredError)
        concealedSNR = 10 * log10(signal / concealedError)
    }
}

private func decode(
    _ decoder: OpaquePointer, _ payload: UnsafeRawBufferPointer, into pcm: inout [Int16],
    _ frameSamples: Int32, fec: Bool = false
) {
    let bytes = payload.bindMemory(to: UInt8.self)
    let count = opus_decode(decoder, bytes.baseAddress, Int32(bytes.count), &pcm, frameSamples, fec ? 1 : 0)
    precondition(count == frameSamples, "opus_decode returned \(count)")
}
