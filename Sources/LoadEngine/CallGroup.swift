import RunModel
import TURNProtocol

/// A share of a run's clients with media of their own (`--group video:4:bitrate=510k,burst=10`):
/// a video-like sender beside Opus calls, a noisy neighbour. Each group runs as a load of its
/// own, all of them together, and is reported on its own beside the run's total.
public struct CallGroup: Sendable, Equatable {
    public var name: String
    public var clients: Int
    /// What the group changes of the run's settings; nil keeps the run's.
    public var bitrate: Int?
    public var frameMilliseconds: Int?
    /// RTP packets each frame interval, sent back to back with one timestamp, as a video
    /// frame leaves in several packets.
    public var packetsPerFrame: Int?
    public var transport: TURNTransport?

    /// The name of the clients no group takes: they keep the run's settings.
    public static let othersName = "others"
    public static let packetsPerFrameRange = 1...50

    public init(
        name: String, clients: Int, bitrate: Int? = nil, frameMilliseconds: Int? = nil, packetsPerFrame: Int? = nil,
        transport: TURNTransport? = nil
    ) {
        self.name = name
        self.clients = clients
        self.bitrate = bitrate
        self.frameMilliseconds = frameMilliseconds
        self.packetsPerFrame = packetsPerFrame
        self.transport = transport
    }

    /// The run's media with the group's changes.
    public func media(over base: OpusSettings) -> OpusSettings {
        var media = base
        if let bitrate { media.bitrate = bitrate }
        if let frameMilliseconds { media.frameMilliseconds = frameMilliseconds }
        return media
    }
}

/// One group's load in a run of groups: its clients, media and transport.
public struct GroupLoad: Sendable {
    public var name: String
    public var configuration: LoadConfiguration
    /// Nil for the run's own.
    public var transport: TURNTransport?
}

extension LoadConfiguration {
    /// Each group on the next clients in the order given, then the clients no group takes
    /// (`others`) with the run's own settings, when there are any.
    public var groupLoads: [GroupLoad] {
        let others = CallGroup(name: CallGroup.othersName, clients: clients - groups.reduce(0) { $0 + $1.clients })
        var loads: [GroupLoad] = []
        var first = 0
        for group in groups + [others] where group.clients > 0 {
            defer { first += group.clients }
            let range = first..<first + group.clients
            // A shard runs the groups among its own clients, not a load of none.
            guard range.overlaps(localClients) else { continue }
            var configuration = self
            configuration.groups = []
            configuration.clientRange = range
            configuration.media = group.media(over: media)
            configuration.packetsPerFrame = group.packetsPerFrame ?? packetsPerFrame
            loads.append(GroupLoad(name: group.name, configuration: configuration, transport: group.transport))
        }
        return loads
    }
}
