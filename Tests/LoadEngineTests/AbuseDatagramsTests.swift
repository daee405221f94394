import NIOCore
import TURNProtocol
import Testing

@testable import LoadEngine
@testable import RunModel

@Suite("abuse datagrams")
struct AbuseDatagramsTests {
    /// Malformed to a TURN parser: a STUN header whose cookie is wrong, ChannelData whose length
    /// runs past its datagram.
    @Test func invalidIsNeitherSTUNNorChannelData() {
        var datagrams = AbuseDatagrams(seed: 1)
        for _ in 0..<4 {
            let datagram = datagrams.next(.invalid)
            #expect((try? STUNMessage(datagram: datagram)) == nil)
            let channelData = datagram.withUnsafeReadableBytes { ChannelData.parseHeader($0, padded: false) }
            if case .success(let (_, length)) = channelData { #expect(length + ChannelData.headerLength > datagram.readableBytes) }
        }
    }

    @Test func requestsAreWhatTheyClaim() throws {
        var datagrams = AbuseDatagrams(seed: 1)
        let allocate = try STUNMessage(datagram: datagrams.next(.unauthenticated))
        #expect(allocate.type == STUNMessageType(.allocate, .request) && allocate.attribute(.messageIntegrity) == nil)
        #expect(try STUNMessage(datagram: datagrams.next(.binding)).type == STUNMessageType(.binding, .request))
        let unbound = datagrams.next(.unboundChannel)
        let header = unbound.withUnsafeReadableBytes { ChannelData.parseHeader($0, padded: false) }
        guard case .success(let (channel, length)) = header else {
            Issue.record("\(header)")
            return
        }
        #expect(channel.isRFC8656 && length == 100 && unbound.readableBytes == 104)
    }

    /// A wrong password is signed only once the endpoint has challenged the wrong-password
    /// socket: a challenge to another kind's socket carries a nonce bound to that socket.
    @Test func aWrongPasswordSignsWithTheChallengeToItsOwnSocket() throws {
        var datagrams = AbuseDatagrams(seed: 1)
        let challenge = STUNMessage(
            type: STUNMessageType(.allocate, .errorResponse),
            attributes: [.errorCode(.unauthenticated), .realm("example.org"), .nonce("n0nce")]
        ).encoded()
        #expect(datagrams.answer(challenge, to: .unauthenticated) == "401")
        #expect(try STUNMessage(datagram: datagrams.next(.wrongPassword)).attribute(.messageIntegrity) == nil)
        #expect(datagrams.answer(challenge, to: .wrongPassword) == "401")
        let signed = try STUNMessage(datagram: datagrams.next(.wrongPassword))
        #expect(signed.attribute(.messageIntegrity) != nil)
        #expect(try signed.username == AbuseDatagrams.username && signed.realm == "example.org" && signed.nonce == "n0nce")
        #expect(datagrams.answer(ByteBuffer(bytes: [1, 2, 3]), to: .invalid) == "other")
        let success = STUNMessage(type: STUNMessageType(.binding, .successResponse)).encoded()
        #expect(datagrams.answer(success, to: .binding) == "success")
    }
}
