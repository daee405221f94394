import DTLS
import NIOCore
import NIOEmbedded

/// The other end of a DTLS association whose near end runs in an `EmbeddedChannel`: the
/// datagrams the channel writes come here, and what this session answers goes back in as
/// if it arrived from `address`.
public struct DTLSFarEnd {
    public let session: DTLSSession
    public let address: SocketAddress

    public init(_ session: DTLSSession, at address: SocketAddress) {
        self.session = session
        self.address = address
    }

    /// Passes datagrams both ways until neither side has one to send; returns the plaintexts
    /// this end received.
    @discardableResult
    public func exchange(with channel: EmbeddedChannel) throws -> [ByteBuffer] {
        var plaintexts: [ByteBuffer] = []
        while true {
            var moved = false
            while let envelope = try channel.readOutbound(as: AddressedEnvelope<ByteBuffer>.self) {
                plaintexts += session.receive(envelope.data, allocator: channel.allocator)
                moved = true
            }
            if let answer = session.pendingDatagram(allocator: channel.allocator) {
                try channel.writeInbound(AddressedEnvelope(remoteAddress: address, data: answer))
                moved = true
            }
            if !moved { return plaintexts }
        }
    }

    /// Sends `plaintext` to the channel, encrypted.
    public func send(_ plaintext: ByteBuffer, to channel: EmbeddedChannel) throws {
        try session.send(plaintext)
        if let datagram = session.pendingDatagram(allocator: channel.allocator) {
            try channel.writeInbound(AddressedEnvelope(remoteAddress: address, data: datagram))
        }
    }
}
