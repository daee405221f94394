import Campaign
import Media
import NIOCore
import NIOPosix
import RunModel
import TURNClient
import TURNProtocol
import Testing

@testable import LoadEngine

/// What one simulated client needs that is not its media handlers: a real TCP connection to
/// the in-process relay (not allocated), and a packet library.
struct OneCall {
    let relay: EmbeddedRelay
    let group: MultiThreadedEventLoopGroup
    let connection: TURNClientConnection
    let library: OpusPacketLibrary
    let ssrc: UInt32 = 0x5EED_CA11
    let channelNumber = ChannelNumber(rawValue: 0x4000)!

    static func connect() async throws -> OneCall {
        let relay = try await EmbeddedRelay.start(clients: 1, transport: .tcp)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connection = try await TURNClientConnection.connect(
            to: try #require(relay.server.localAddress(.tcp)), hostname: "127.0.0.1", transport: .tcp,
            configuration: TURNSessionConfiguration(credential: relay.target.credential, reliable: true), tls: TLSOptions(),
            group: group, timeout: .seconds(5))
        return OneCall(
            relay: relay, group: group, connection: connection, library: try OpusPacketLibrary.encode(OpusSettings(), seconds: 1))
    }

    /// A thread on `eventLoop` with this call's client paced on it. The thread owns the client
    /// and must outlive it.
    func thread(_ topology: Topology, on eventLoop: EventLoop) -> (ClientThread, SimulatedClient) {
        let thread = ClientThread(
            eventLoop: eventLoop, packetLoop: nil, topology: topology, interval: .milliseconds(20),
            clientOverhead: WireOverhead(transport: .tcp, ipv6: false), peerOverhead: .peerLeg(ipv6: false))
        let client = SimulatedClient(
            index: 0, connection: .nio(connection), route: .channel(channelNumber), fiveTuple: LoadConnection.nio(connection).fiveTuple,
            phase: 0,
            rtp: RTPStreamState(ssrc: ssrc, firstSequence: 100, firstTimestamp: 0, libraryOffset: 0), library: library,
            jitterBuffer: 60_000_000, thread: thread)
        thread.add(client)
        return (thread, client)
    }

    /// An RTP packet of this call's stream, as the relay delivers it.
    func rtp(sequence: UInt16, ssrc: UInt32? = nil) -> ByteBuffer {
        var packet = ByteBuffer()
        packet.writeRTPHeader(RTPHeader(payloadType: 111, sequenceNumber: sequence, timestamp: 960, ssrc: ssrc ?? self.ssrc))
        packet.writeBytes([0xF8, 0xFF, 0xFE])
        return packet
    }

    func close() async {
        await connection.close()
        try? await group.shutdownGracefully()
        await relay.stop()
    }
}
