import Measurement
import RunModel

extension OpusSettings {
    /// `Opus 32 kbit/s, 20 ms frames, VBR, FEC`.
    var summary: String {
        "Opus \(DecimalText.short(Double(bitrate) / 1000)) kbit/s, \(frameMilliseconds) ms frames" + (variableBitrate ? ", VBR" : ", CBR")
            + (discontinuousTransmission ? ", DTX" : "") + (forwardErrorCorrection ? ", FEC" : "")
    }
}
