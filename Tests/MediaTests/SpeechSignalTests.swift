import Foundation
import Media
import Testing

@Suite("speech signal")
struct SpeechSignalTests {
    /// 30 s in 10 ms frames: long enough for a dozen turns, short enough for a debug build.
    static let frameSamples = 480
    static let frames = 3_000

    static func record(seed: UInt64) -> (samples: [[Int16]], activities: [SpeechSignal.Activity]) {
        var signal = SpeechSignal(seed: seed)
        var frame = [Int16](repeating: 0, count: frameSamples)
        var samples: [[Int16]] = []
        var activities: [SpeechSignal.Activity] = []
        for _ in 0..<frames {
            activities.append(signal.fill(&frame))
            samples.append(frame)
        }
        return (samples, activities)
    }

    static let recording = record(seed: 1)

    @Test func sameSeedSameSamples() {
        var first = SpeechSignal(seed: 42)
        var second = SpeechSignal(seed: 42)
        var other = SpeechSignal(seed: 43)
        var a = [Int16](repeating: 0, count: 48_000)
        var b = a
        var c = a
        _ = first.fill(&a)
        _ = second.fill(&b)
        _ = other.fill(&c)
        #expect(a == b)
        #expect(a != c)
    }

    /// Talk 1–2.5 s, pause 0.5–1.5 s, give or take the frame in which each switch falls.
    @Test func talksAndPausesInConversationalTurns() {
        let activities = Self.recording.activities
        #expect(activities.first == .talkSpurtStart)
        var talkRuns: [Int] = []
        var pauseRuns: [Int] = []
        var start = 0
        for index in 1...activities.count {
            let ended =
                index == activities.count || (activities[index] == .pause) != (activities[start] == .pause)
                || activities[index] == .talkSpurtStart
            guard ended else { continue }
            // The last run is cut short by the end of the recording.
            if index < activities.count {
                if activities[start] == .pause { pauseRuns.append(index - start) } else { talkRuns.append(index - start) }
            }
            start = index
        }
        #expect(talkRuns.count >= 8)
        #expect((0...1).contains(talkRuns.count - pauseRuns.count), "talk and pause alternate")
        #expect(talkRuns.allSatisfy { (99...252).contains($0) }, "talk runs in frames of 10 ms: \(talkRuns)")
        #expect(pauseRuns.allSatisfy { (48...151).contains($0) }, "pause runs in frames of 10 ms: \(pauseRuns)")
    }

    /// Talk near -20 dBFS, as a headset delivers it, never clipping; pauses a quiet room's -60.
    @Test func levelsAreThoseOfAVoiceAndAQuietRoom() {
        let (samples, activities) = Self.recording
        let talk = zip(samples, activities).filter { $0.1 == .talk }.map { $0.0 }
        let pause = zip(samples, activities).filter { $0.1 == .pause }.map { $0.0 }
        let talkLevel = decibelsFullScale(talk.map(energy).reduce(0, +) / Double(talk.count))
        let pauseLevel = decibelsFullScale(pause.map(energy).reduce(0, +) / Double(pause.count))
        #expect((-24.0 ... -16.0).contains(talkLevel), "talk at \(talkLevel) dBFS")
        #expect((-64.0 ... -58.0).contains(pauseLevel), "pauses at \(pauseLevel) dBFS")
        #expect(samples.joined().allSatisfy { $0 > .min && $0 < .max }, "clipped")
    }

    /// The strongest periodicity in voiced frames is a plausible voice pitch, 100–220 Hz.
    @Test func pitchIsAVoices() {
        let (samples, activities) = Self.recording
        let voiced = activities.indices.filter { $0 > 0 && activities[$0 - 1] == .talk && activities[$0] == .talk }
        // Every 15th voiced frame, 20 ms each, keeps the autocorrelation cheap in a debug build.
        let pitches = stride(from: 0, to: voiced.count - 1, by: 15).map { position in
            let window = samples[voiced[position] - 1] + samples[voiced[position]]
            return autocorrelationPitch(window.map(Double.init))
        }
        let inRange = pitches.filter { (95...230).contains($0) }
        #expect(pitches.count >= 20)
        #expect(Double(inRange.count) >= 0.9 * Double(pitches.count), "pitches: \(pitches)")
        #expect(Set(pitches.map { Int($0 / 10) }).count >= 4, "pitch should vary: \(pitches)")
    }

    /// The lag in 2.5–11 ms (90–400 Hz) at which the window best matches itself.
    private func autocorrelationPitch(_ window: [Double]) -> Double {
        let lags = 48_000 / 400...48_000 / 90
        let best = lags.max { correlation(window, $0) < correlation(window, $1) }!
        return 48_000 / Double(best)
    }

    private func correlation(_ window: [Double], _ lag: Int) -> Double {
        let count = window.count - lag
        var sum = 0.0
        for index in 0..<count { sum += window[index] * window[index + lag] }
        return sum / Double(count)
    }
}

func decibelsFullScale(_ meanSquare: Double) -> Double {
    10 * log10(meanSquare / (32768 * 32768))
}
