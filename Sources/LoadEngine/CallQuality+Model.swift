import Measurement
import RunModel

extension CallQuality {
    /// The E-model for the run's media and playout buffer.
    static func model(for configuration: LoadConfiguration) -> EModel {
        EModel(
            jitterBufferMilliseconds: configuration.jitterBuffer / .milliseconds(1),
            // Opus's algorithmic delay: the frame and 6.5 ms of look-ahead (RFC 6716 §2).
            codecDelayMilliseconds: Double(configuration.media.frameMilliseconds) + 6.5)
    }
}
