#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A two-pole resonator, the building block of a cascade formant synthesiser (Klatt 1980):
/// its peak sits at the formant frequency, and its gain is 1 at 0 Hz, so that a cascade of them
/// gives formants the relative levels a vocal tract gives them.
struct FormantResonator: Sendable {
    private var a = 0.0, b = 0.0, c = 0.0
    private var previous = 0.0, beforePrevious = 0.0

    mutating func tune(frequency: Double, bandwidth: Double, sampleRate: Double) {
        let radius = exp(-Double.pi * bandwidth / sampleRate)
        c = -radius * radius
        b = 2 * radius * cos(2 * Double.pi * frequency / sampleRate)
        a = 1 - b - c
    }

    mutating func filter(_ input: Double) -> Double {
        let output = a * input + b * previous + c * beforePrevious
        beforePrevious = previous
        previous = output
        return output
    }
}
