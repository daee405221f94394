import Measurement
import TURNProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic speech-like signal, 48 kHz mono Int16: glottal pulses through three moving
/// formant resonators (the source-filter model of a voice), talking and pausing like one side of
/// a conversation. Opus's voice activity detection, DTX and VBR react to it as to a real talker.
public struct SpeechSignal: Sendable {
    public static let sampleRate = 48_000

    /// What a frame holds; the frame in which a talk spurt begins gets the RTP marker bit.
    public enum Activity: Sendable, Hashable {
        case talkSpurtStart, talk, pause
    }

    /// F1, F2 and F3 of five vowels (Peterson and Barney 1952, men): /i/, /ɛ/, /a/, /ɔ/, /u/.
    private static let vowels: [(Double, Double, Double)] = [
        (270, 2290, 3010), (530, 1840, 2480), (730, 1090, 2440), (570, 840, 2410), (300, 870, 2240),
    ]
    private static let bandwidths = (90.0, 110.0, 170.0)
    /// Pitch and formants change slowly, so they are recomputed once a millisecond, not per sample.
    private static let controlInterval = sampleRate / 1000
    /// Onsets and releases ramp over 10 ms: an abrupt edge would be a click, which speech lacks.
    private static let edgeSamples = 480.0
    /// Sets a talker's average level near -20 dBFS, where a headset microphone puts speech.
    private static let outputGain = 150_000.0
    /// The pause floor near -60 dBFS: a quiet room, not digital silence, as a microphone delivers.
    private static let floorAmplitude = 50.0

    private var random: SplitMix64
    /// The talker's average pitch, 100–160 Hz; each spurt glides from above it to at or below it.
    private let basePitch: Double
    private var talking = false
    private var stateSamples = 0
    private var stateElapsed = 0
    private var spurtPitch = (start: 0.0, end: 0.0)
    private var syllableSamples = 0
    private var syllableElapsed = 0
    private var target = vowels[2]
    private var formantFrequencies = vowels[2]
    private var resonators = (FormantResonator(), FormantResonator(), FormantResonator())
    private var pitch = 0.0
    private var glottalPhase = 0.0
    private var previousFlow = 0.0

    /// Starts at the beginning of a talk spurt, so that a looped recording of it starts with one.
    public init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        basePitch = random.uniform(100...160)
    }

    /// Fills `frame` with the next `frame.count` samples and says what they hold.
    public mutating func fill(_ frame: inout [Int16]) -> Activity {
        var startsSpurt = false
        var hadTalk = false
        for index in frame.indices {
            if stateElapsed == stateSamples {
                startsSpurt = startsSpurt || !talking
                switchTalkOrPause()
            }
            if talking && stateElapsed % Self.controlInterval == 0 { updateVoice() }
            hadTalk = hadTalk || talking
            let floor = random.uniform(-1...1) * Self.floorAmplitude
            let value = talking ? nextVoiceSample() * envelope() * Self.outputGain + floor : floor
            frame[index] = Int16(max(-32768, min(32767, value.rounded())))
            stateElapsed += 1
            if talking { syllableElapsed += 1 }
        }
        return startsSpurt ? .talkSpurtStart : hadTalk ? .talk : .pause
    }

    /// Conversational turn-taking: talk 1–2.5 s, then listen 0.5–1.5 s.
    private mutating func switchTalkOrPause() {
        talking.toggle()
        stateElapsed = 0
        let seconds = talking ? random.uniform(1.0...2.5) : random.uniform(0.5...1.5)
        stateSamples = Int(seconds * Double(Self.sampleRate))
        if talking {
            // Declination: a phrase starts high and ends lower, the commonest intonation contour.
            spurtPitch = (basePitch * random.uniform(1.1...1.4), basePitch * random.uniform(0.85...1.0))
            syllableElapsed = 0
            syllableSamples = 0
        }
    }

    /// Moves pitch along the phrase and formants toward the current syllable's vowel.
    private mutating func updateVoice() {
        if syllableElapsed >= syllableSamples {
            // Syllables of 120–300 ms give the 3–8 Hz loudness modulation typical of speech.
            syllableSamples = Int(random.uniform(0.12...0.3) * Double(Self.sampleRate))
            syllableElapsed = 0
            target = Self.vowels[Int(random.next() % UInt64(Self.vowels.count))]
        }
        let phrase = Double(stateElapsed) / Double(max(stateSamples, 1))
        let accent = 1 + 0.06 * sin(Double.pi * syllableProgress)
        let glide = spurtPitch.start + (spurtPitch.end - spurtPitch.start) * phrase
        pitch = min(220, max(100, glide * accent))
        // Articulators move with a time constant near 30 ms, so formants glide rather than jump.
        let step = 0.033
        formantFrequencies.0 += (target.0 - formantFrequencies.0) * step
        formantFrequencies.1 += (target.1 - formantFrequencies.1) * step
        formantFrequencies.2 += (target.2 - formantFrequencies.2) * step
        let rate = Double(Self.sampleRate)
        resonators.0.tune(frequency: formantFrequencies.0, bandwidth: Self.bandwidths.0, sampleRate: rate)
        resonators.1.tune(frequency: formantFrequencies.1, bandwidth: Self.bandwidths.1, sampleRate: rate)
        resonators.2.tune(frequency: formantFrequencies.2, bandwidth: Self.bandwidths.2, sampleRate: rate)
    }

    private var syllableProgress: Double { Double(syllableElapsed) / Double(max(syllableSamples, 1)) }

    /// One sample of the vocal tract's output.
    private mutating func nextVoiceSample() -> Double {
        glottalPhase += pitch / Double(Self.sampleRate)
        if glottalPhase >= 1 { glottalPhase -= 1 }
        let flow = Self.glottalFlow(glottalPhase)
        // The lips radiate the flow's derivative; a little turbulence noise makes it breathy.
        let excitation = flow - previousFlow + random.uniform(-1...1) * 0.002
        previousFlow = flow
        return resonators.2.filter(resonators.1.filter(resonators.0.filter(excitation)))
    }

    /// Rosenberg's glottal pulse: opens over 40% of the period, closes abruptly over 16%; the
    /// abrupt closure is what gives voiced speech its rich harmonic series.
    private static func glottalFlow(_ phase: Double) -> Double {
        if phase < 0.4 { return 0.5 * (1 - cos(Double.pi * phase / 0.4)) }
        if phase < 0.56 { return cos(Double.pi * (phase - 0.4) / 0.32) }
        return 0
    }

    /// Syllable loudness, with 10 ms ramps at the spurt's edges.
    private func envelope() -> Double {
        let edges = min(1, Double(stateElapsed) / Self.edgeSamples, Double(stateSamples - stateElapsed) / Self.edgeSamples)
        return edges * (0.35 + 0.65 * sin(Double.pi * syllableProgress))
    }
}
