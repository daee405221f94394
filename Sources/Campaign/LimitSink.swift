import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The far end of `probe --limits`: a peer that counts what the relay delivers of each step's
/// measured window and sends nothing back, since an echo would spend the allocation's budget
/// (relays meter both ways together) on the way back too.
final class LimitSink: ProbePeer {
    let channel: Channel
    private let counter: Counter

    private init(channel: Channel, counter: Counter) {
        self.channel = channel
        self.counter = counter
    }

    static func start(host: String, group: EventLoopGroup) async throws -> LimitSink {
        let counter = Counter()
        return LimitSink(channel: try await open(host: host, group: group) { counter }, counter: counter)
    }

    /// Packets of `step`'s measured window that arrived so far.
    func delivered(step: UInt32) -> Int { counter.counts.withLockedValue { $0[step] ?? 0 } }

    /// A packet of a limit search: the step it belongs to and whether it was sent in the step's
    /// measured window, then filler to `bytes`.
    static func packet(step: UInt32, measured: Bool, bytes: Int) -> ByteBuffer {
        var packet = ByteBuffer()
        packet.writeInteger(step)
        packet.writeInteger(UInt8(measured ? 1 : 0))
        packet.writeRepeatingByte(0xA5, count: max(0, bytes - 5))
        return packet
    }

    private final class Counter: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let counts = NIOLockedValueBox<[UInt32: Int]>([:])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var payload = unwrapInboundIn(data).data
            guard let step = payload.readInteger(as: UInt32.self), payload.readInteger(as: UInt8.self) == 1 else { return }
            counts.withLockedValue { $0[step, default: 0] += 1 }
        }
    }
}
