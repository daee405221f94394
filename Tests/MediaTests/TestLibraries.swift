import Media
import RunModel

/// Libraries shared by the tests: each takes a fraction of a second to encode.
enum TestLibraries {
    static let voice = try! OpusPacketLibrary.encode(OpusSettings())
    static let constantBitrate = try! OpusPacketLibrary.encode(OpusSettings(variableBitrate: false))
    static let dtx = try! OpusPacketLibrary.encode(OpusSettings(discontinuousTransmission: true))
    /// Seed 2 has a spurt whose first 60 ms frame libopus still codes as DTX silence.
    static let longFramesDTXFEC = try! OpusPacketLibrary.encode(
        OpusSettings(frameMilliseconds: 60, discontinuousTransmission: true, forwardErrorCorrection: true), seed: 2)

    /// What `SpeechSignal(seed:)` says of each of the library's frames.
    static func activities(of library: OpusPacketLibrary) -> [SpeechSignal.Activity] {
        var signal = SpeechSignal(seed: library.seed)
        var frame = [Int16](repeating: 0, count: Int(library.settings.samplesPerFrame))
        return (0..<library.count).map { _ in signal.fill(&frame) }
    }

    static func payload(_ library: OpusPacketLibrary, _ index: Int) -> [UInt8] {
        library.withPayload(index) { Array($0) }
    }
}
