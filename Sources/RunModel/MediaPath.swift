/// How a call's media goes through the relay: ChannelData on a bound channel, or Send and Data
/// indications (`--indications`).
public enum MediaPath: String, Sendable, Codable {
    case channelData, indications
}
