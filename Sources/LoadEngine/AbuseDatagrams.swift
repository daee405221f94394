import Measurement
import NIOCore
import RunModel
import TURNProtocol

/// The datagrams of each kind of abuse, and what an answer to one says. Pure: `AbuseSender`
/// does the I/O.
struct AbuseDatagrams {
    /// The realm and nonce of the endpoint's last challenge, and the key of a wrong password
    /// under them: without them a wrong password is not even checked.
    private var challenge: (realm: String, nonce: String, key: STUNKey)?
    private var random: SplitMix64
    private var sent = 0

    static let username = "turnload-abuse"

    init(seed: UInt64) { random = SplitMix64(seed: seed ^ 0xAB05_E000) }

    mutating func next(_ kind: AbusePlan.Kind) -> ByteBuffer {
        sent += 1
        switch kind {
        case .invalid:
            // In turn a STUN header with a broken magic cookie, and ChannelData whose length
            // runs past the datagram: malformed to any TURN parser, never mistaken for media.
            var buffer = ByteBuffer()
            if sent % 2 == 0 {
                buffer.writeInteger(UInt16(0x0003))
                buffer.writeInteger(UInt16(8))
                buffer.writeInteger(UInt32(truncatingIfNeeded: random.next()) | 1)
            } else {
                buffer.writeChannelDataHeader(channel: ChannelNumber.first, length: 1_000)
            }
            writeNoise(into: &buffer, count: 24)
            return buffer
        case .unauthenticated:
            return allocate()
        case .wrongPassword:
            guard let challenge else { return allocate() }
            return STUNMessage(
                type: STUNMessageType(.allocate, .request), transactionID: transactionID(),
                attributes: [
                    .requestedTransport(.udp), .username(Self.username), .realm(challenge.realm), .nonce(challenge.nonce),
                ]
            ).encoded(integrity: STUNIntegrity(key: challenge.key))
        case .unboundChannel:
            var buffer = ByteBuffer()
            let channel = ChannelNumber(rawValue: 0x4000 + UInt16(random.next() % 0x1000))!
            buffer.writeChannelDataHeader(channel: channel, length: 100)
            writeNoise(into: &buffer, count: 100)
            return buffer
        case .binding:
            return STUNMessage(type: STUNMessageType(.binding, .request), transactionID: transactionID()).encoded()
        }
    }

    /// What an answer to `kind` was: "success", its error code, or "other" for what is not a
    /// STUN response. A challenge to a wrong password is kept for the next: its nonce is bound
    /// to the socket it was sent to.
    mutating func answer(_ datagram: ByteBuffer, to kind: AbusePlan.Kind) -> String {
        guard let message = try? STUNMessage(datagram: datagram) else { return "other" }
        switch message.type.messageClass {
        case .successResponse: return "success"
        case .errorResponse:
            if kind == .wrongPassword, let realm = try? message.realm, let nonce = try? message.nonce,
                challenge?.realm != realm || challenge?.nonce != nonce,
                let key = try? STUNKey.longTerm(username: Self.username, realm: realm, password: wrongPassword())
            {
                challenge = (realm, nonce, key)
            }
            return (try? message.errorCode).flatMap { $0.map { "\($0.code)" } } ?? "error"
        default: return "other"
        }
    }

    private mutating func allocate() -> ByteBuffer {
        STUNMessage(
            type: STUNMessageType(.allocate, .request), transactionID: transactionID(), attributes: [.requestedTransport(.udp)]
        ).encoded()
    }

    private mutating func transactionID() -> TransactionID {
        TransactionID(
            high: UInt32(truncatingIfNeeded: random.next()), middle: UInt32(truncatingIfNeeded: random.next()),
            low: UInt32(truncatingIfNeeded: sent))
    }

    private mutating func wrongPassword() -> String { "wrong-\(random.next())" }

    private mutating func writeNoise(into buffer: inout ByteBuffer, count: Int) {
        for _ in 0..<count / 8 { buffer.writeInteger(random.next()) }
        for _ in 0..<count % 8 { buffer.writeInteger(UInt8(truncatingIfNeeded: random.next())) }
    }
}
