internal import COpus

/// Why media settings were refused or libopus failed.
public enum MediaError: Error, Hashable, Sendable {
    case invalidFrameMilliseconds(Int)
    case invalidBitrate(Int)
    case invalidLibrarySeconds(Int)
    /// A libopus call returned a negative status code (OPUS_BAD_ARG and friends).
    case opus(call: String, code: Int32)
}

extension MediaError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidFrameMilliseconds(let milliseconds):
            "--frame-ms must be 10, 20, 40 or 60 (got \(milliseconds))"
        case .invalidBitrate(let bitrate):
            "--bitrate must be between 6k and 510k bits/s (got \(bitrate))"
        case .invalidLibrarySeconds(let seconds):
            "the Opus packet library must hold at least 1 second of audio (got \(seconds))"
        case .opus(let call, let code):
            "libopus \(call) failed: \(Self.opusErrorName(code)) (\(String(cString: opus_strerror(code))))"
        }
    }

    /// The constant's name from opus_defines.h, which is what one greps for.
    static func opusErrorName(_ code: Int32) -> String {
        switch code {
        case OPUS_BAD_ARG: "OPUS_BAD_ARG"
        case OPUS_BUFFER_TOO_SMALL: "OPUS_BUFFER_TOO_SMALL"
        case OPUS_INTERNAL_ERROR: "OPUS_INTERNAL_ERROR"
        case OPUS_INVALID_PACKET: "OPUS_INVALID_PACKET"
        case OPUS_UNIMPLEMENTED: "OPUS_UNIMPLEMENTED"
        case OPUS_INVALID_STATE: "OPUS_INVALID_STATE"
        case OPUS_ALLOC_FAIL: "OPUS_ALLOC_FAIL"
        default: "error \(code)"
        }
    }
}
