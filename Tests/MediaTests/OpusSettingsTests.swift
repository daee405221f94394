import COpus
import Foundation
import Media
import RunModel
import Testing

@Suite("Opus settings")
struct OpusSettingsTests {
    @Test(arguments: [0, 5, 25, 30, 80, 120])
    func rejectsFrameDurationsOpusCannotPacketize(milliseconds: Int) {
        #expect(throws: MediaError.invalidFrameMilliseconds(milliseconds)) {
            try OpusSettings(frameMilliseconds: milliseconds).validated()
        }
        #expect(
            MediaError.invalidFrameMilliseconds(milliseconds).description
                == "--frame-ms must be 10, 20, 40 or 60 (got \(milliseconds))")
    }

    @Test(arguments: [-1, 0, 5_999, 510_001])
    func rejectsBitratesOutsideOpusRange(bitrate: Int) {
        #expect(throws: MediaError.invalidBitrate(bitrate)) { try OpusSettings(bitrate: bitrate).validated() }
        #expect(
            MediaError.invalidBitrate(bitrate).description
                == "--bitrate must be between 6k and 510k bits/s (got \(bitrate))")
    }

    @Test func acceptsTheEdgesOfTheRanges() throws {
        for settings in [OpusSettings(bitrate: 6_000, frameMilliseconds: 10), OpusSettings(bitrate: 510_000, frameMilliseconds: 60)] {
            #expect(try settings.validated() == settings)
        }
    }

    @Test(arguments: [(10, 480, 100.0), (20, 960, 50.0), (40, 1920, 25.0), (60, 2880, 50.0 / 3)])
    func timingFollowsTheFrameDuration(milliseconds: Int, samples: UInt32, packetsPerSecond: Double) {
        let settings = OpusSettings(frameMilliseconds: milliseconds)
        #expect(settings.samplesPerFrame == samples)
        #expect(settings.frameInterval == .milliseconds(milliseconds))
        #expect(abs(settings.packetsPerSecond - packetsPerSecond) < 1e-9)
    }

    @Test func defaultsAreWhatWebRTCSends() {
        #expect(
            OpusSettings()
                == OpusSettings(
                    bitrate: 32_000, frameMilliseconds: 20, variableBitrate: true,
                    discontinuousTransmission: false, forwardErrorCorrection: false))
    }

    @Test func decodingFillsMissingKeysWithDefaults() throws {
        let partial = try JSONDecoder().decode(OpusSettings.self, from: Data(#"{"bitrate": 24000, "forwardErrorCorrection": true}"#.utf8))
        #expect(partial == OpusSettings(bitrate: 24_000, forwardErrorCorrection: true))
        let full = OpusSettings(
            bitrate: 64_000, frameMilliseconds: 60, variableBitrate: false,
            discontinuousTransmission: true, forwardErrorCorrection: true)
        #expect(try JSONDecoder().decode(OpusSettings.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func libopusErrorsAreNamed() {
        let error = MediaError.opus(call: "opus_encode", code: OPUS_BAD_ARG)
        #expect(error.description == "libopus opus_encode failed: OPUS_BAD_ARG (invalid argument)")
    }
}
