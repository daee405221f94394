import RunModel

extension OpusSettings {
    /// The same settings, or the first reason libopus would refuse them.
    public func validated() throws(MediaError) -> OpusSettings {
        guard Self.validFrameMilliseconds.contains(frameMilliseconds) else {
            throw .invalidFrameMilliseconds(frameMilliseconds)
        }
        guard Self.validBitrates.contains(bitrate) else { throw .invalidBitrate(bitrate) }
        return self
    }
}
