#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension EModel {
    /// Ro − Is − Idte − Idle with every G.107 (06/2015) Table 3 parameter at its default:
    /// the rating of a perfect connection before delay and codec impairments (≈ 93.2).
    ///
    /// Computed from the Recommendation's formulas (§7.2, §7.3, §7.4) rather than written as a
    /// constant, so the 93.2 the tests check is derived. Talker and listener echo are taken at
    /// the defaults T = Tr = 0 (echo fully controlled, as endpoints with echo cancellation
    /// give): Idte is then 0 and Idle the default's 0.15.
    public static let basicRating: Double = {
        // Defaults, G.107 Table 3.
        let sendLoudness = 8.0 // SLR, dB
        let receiveLoudness = 2.0 // RLR, dB
        let sidetoneMasking = 15.0 // STMR, dB
        let listenerSidetone = 18.0 // LSTR, dB
        let sendSensitivityD = 3.0 // Ds
        let talkerEchoLoudness = 65.0 // TELR, dB
        let weightedEchoPathLoss = 110.0 // WEPL, dB
        let echoDelay = 0.0 // T, ms
        let roundTripDelay = 0.0 // Tr, ms
        let quantisingDistortionUnits = 1.0 // qdu
        let circuitNoise = -70.0 // Nc, dBm0p
        let receiveNoiseFloor = -64.0 // Nfor, dBmp
        let sendRoomNoise = 35.0 // Ps, dB(A)
        let receiveRoomNoise = 35.0 // Pr, dB(A)

        func dbSum(_ levels: Double...) -> Double { 10 * log10(levels.reduce(0) { $0 + pow(10, $1 / 10) }) }

        // §7.2 Basic signal-to-noise ratio Ro.
        let overallLoudness = sendLoudness + receiveLoudness // OLR
        let sendNoise =
            sendRoomNoise - sendLoudness - sendSensitivityD - 100 // Nos
            + 0.004 * pow(sendRoomNoise - overallLoudness - sendSensitivityD - 14, 2)
        let effectiveReceiveRoomNoise = receiveRoomNoise + 10 * log10(1 + pow(10, (10 - listenerSidetone) / 10)) // Pre
        let receiveNoise =
            receiveLoudness - 121 + effectiveReceiveRoomNoise // Nor
            + 0.008 * pow(effectiveReceiveRoomNoise - 35, 2)
        let noiseFloor = receiveNoiseFloor + receiveLoudness // Nfo
        let totalNoise = dbSum(circuitNoise, sendNoise, receiveNoise, noiseFloor) // No
        let ro = 15 - 1.5 * (sendLoudness + totalNoise)

        // §7.3 Simultaneous impairment factor Is = Iolr + Ist + Iq.
        let xolr = overallLoudness + 0.2 * (64 + totalNoise - receiveLoudness)
        let iolr = 20 * (pow(1 + pow(xolr / 8, 8), 1.0 / 8) - xolr / 8)
        let stmro = -10 * log10(pow(10, -sidetoneMasking / 10) + exp(-echoDelay / 4) * pow(10, -talkerEchoLoudness / 10))
        let ist =
            12 * pow(1 + pow((stmro - 13) / 6, 8), 1.0 / 8)
            - 28 * pow(1 + pow((stmro + 1) / 19.4, 35), 1.0 / 35)
            - 13 * pow(1 + pow((stmro - 3) / 33, 13), 1.0 / 13)
            + 29
        let q = 37 - 15 * log10(quantisingDistortionUnits)
        let g = 1.07 + 0.258 * q + 0.0602 * q * q
        let y = (ro - 100) / 15 + 46 / 8.4 - g / 9
        let z = 46.0 / 30 - g / 40
        let iq = 15 * log10(1 + pow(10, y) + pow(10, z))
        let simultaneous = iolr + ist + iq

        // §7.4 Listener echo Idle (talker echo Idte vanishes: its factor 1 − e^(−T) is 0 at T = 0).
        let listenerEchoRating = 10.5 * (weightedEchoPathLoss + 7) * pow(roundTripDelay + 1, -0.25) // Rle
        let idle = (ro - listenerEchoRating) / 2 + ((ro - listenerEchoRating) * (ro - listenerEchoRating) / 4 + 169).squareRoot()

        return ro - simultaneous - idle
    }()
}
