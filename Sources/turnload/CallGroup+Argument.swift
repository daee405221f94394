import LoadEngine
import RunModel
import TURNProtocol

extension CallGroup {
    static let argumentForm = "NAME:CLIENTS[:bitrate=RATE,frame=MS,burst=N,transport=udp|tcp|tls|dtls]"

    /// `--group video:4:bitrate=510k,frame=10,burst=10`: the group's name, its clients, and what
    /// it changes of the run's media and transport, each checked as its own option would be.
    init(argument text: String) throws {
        let fields = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 2, !fields[0].isEmpty, fields[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        else {
            throw OptionRange.Refusal(description: "give \(Self.argumentForm), a name of letters, digits, - and _, e.g. video:4:burst=10")
        }
        guard fields[0] != Self.othersName else {
            throw OptionRange.Refusal(description: "'\(Self.othersName)' names the clients no group takes: give the group another name")
        }
        let clients = try Self.field("clients", fields[1], OptionRange.count(1...1_000_000))
        self.init(name: fields[0], clients: clients)
        guard fields.count == 3 else { return }
        for setting in fields[2].split(separator: ",", omittingEmptySubsequences: false) {
            let pair = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw OptionRange.Refusal(description: "\(setting) is not KEY=VALUE: give \(Self.argumentForm)") }
            switch pair[0] {
            case "bitrate": bitrate = try Self.field("bitrate", pair[1], OptionRange.bitrate(OpusSettings.validBitrates))
            case "frame":
                frameMilliseconds = try Self.field("frame", pair[1], OptionRange.count(10...60, " ms: 10, 20, 40 or 60"))
                guard OpusSettings.validFrameMilliseconds.contains(frameMilliseconds!) else {
                    throw OptionRange.Refusal(description: "frame: give 10, 20, 40 or 60 ms, Opus's frame sizes")
                }
            case "burst":
                packetsPerFrame = try Self.field("burst", pair[1], OptionRange.count(Self.packetsPerFrameRange, " packets a frame"))
            case "transport":
                guard let transport = TURNTransport(rawValue: pair[1]) else {
                    throw OptionRange.Refusal(description: "transport: give udp, tcp, tls or dtls, not \(pair[1])")
                }
                self.transport = transport
            default:
                throw OptionRange.Refusal(description: "\(pair[0]) is not a group setting: give bitrate, frame, burst or transport")
            }
        }
    }

    private static func field<Value>(_ name: String, _ text: String, _ parse: (String) throws -> Value) throws -> Value {
        do { return try parse(text) } catch { throw OptionRange.Refusal(description: "\(name): \(error)") }
    }
}
