import LibFuzzerDriver
import NIOCore
import TURNClient
import TURNProtocol

/// A `TURNSession` driven by the fuzz bytes: each step's first byte picks what happens next
/// (the owner asks for an allocation, a refresh, a permission, a channel, a release; time
/// passes; the server answers a request it was sent, well formed or not, or sends data), and
/// the following bytes fill it in. Answers are built as a server would (right transaction id,
/// signed with the session's key) so that the fuzzer gets past the parser into the state
/// machine; raw datagrams cover the rest. After every step the invariants below must hold.
public func fuzzTURNSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var driver = SessionDriver(bytes: UnsafeBufferPointer(start: data, count: size))
    driver.run()
    return 0
}

private struct SessionDriver {
    var bytes: UnsafeBufferPointer<UInt8>
    var cursor = 0
    var session: TURNSession
    var now = Duration.zero
    var unixTime: Int64 = 1_700_000_000
    /// Requests the session sent, newest last, for the server to answer.
    var sent: [STUNMessage] = []
    /// What the last 401 said, so that answers are signed as the session expects.
    var realm = "turnload.test"
    var sha256 = false
    /// The owner asked for a release and no allocation came since.
    var releasing = false
    static let password = "wonderland"
    static let peers = (0..<8).map { TransportAddress(ip: .v4(0xCB00_7100 + UInt32($0 & 3)), port: 7000 + UInt16($0)) }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let first = bytes.first ?? 0
        let credential: ClientCredential = first & 1 == 0
            ? .staticPassword(username: "alice", password: Self.password)
            : .sharedSecret(secret: Array("north-wind".utf8), user: "alice", ttl: 300)
        session = TURNSession(configuration: TURNSessionConfiguration(
            credential: credential, reliable: first & 2 != 0, lifetime: first & 4 != 0 ? 60 : nil,
            relayFamily: [RelayFamily.ipv4, .ipv6, .both, .ipv4][Int(first >> 3) & 3]))
        cursor = bytes.isEmpty ? 0 : 1
    }

    mutating func byte() -> UInt8 {
        guard cursor < bytes.count else { return 0 }
        defer { cursor += 1 }
        return bytes[cursor]
    }

    mutating func take(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, cursor + count)
        defer { cursor = end }
        return Array(bytes[cursor..<end])
    }

    mutating func run() {
        var steps = 0
        while cursor < bytes.count, steps < 256 {
            steps += 1
            let outputs: [TURNSessionOutput]
            switch byte() % 14 {
            case 0: outputs = session.allocate(now: now)
            case 1:
                let lifetime = UInt32(byte()) * 10
                outputs = session.refresh(lifetime: lifetime, now: now)
            case 2:
                let address = peer()
                outputs = session.createPermission(for: address, now: now)
            case 3:
                let address = peer()
                outputs = session.bindChannel(to: address, now: now)
            case 4:
                releasing = true
                outputs = session.release(now: now)
            case 5:
                let step = Int64(byte()) * Int64(byte()) * 10
                now += .milliseconds(step)
                outputs = session.advance(to: now)
            case 6:
                // To the next thing the session waits for, as an event loop would.
                if let deadline = session.nextDeadline, deadline > now { now = deadline }
                outputs = session.advance(to: now)
            case 7:
                let datagram = ByteBuffer(bytes: take(Int(byte())))
                outputs = session.receive(datagram, now: now, unixTime: unixTime)
            case 8, 9:
                let answer = success()
                outputs = session.receive(answer, now: now, unixTime: unixTime)
            case 10:
                let answer = failure()
                outputs = session.receive(answer, now: now, unixTime: unixTime)
            case 11:
                let frame = channelData()
                outputs = session.receive(frame, now: now, unixTime: unixTime)
                // ChannelData is data only on a channel of a live allocation.
                if session.allocation == nil, outputs.contains(where: { if case .event(.data) = $0 { true } else { false } }) {
                    fatalError("ChannelData taken as data without an allocation")
                }
            case 12:
                let indication = dataIndication()
                outputs = session.receive(indication, now: now, unixTime: unixTime)
            default:
                unixTime += Int64(byte()) * 60
                outputs = session.bind(now: now)
            }
            handle(outputs)
            check()
        }
    }

    mutating func peer() -> TransportAddress { Self.peers[Int(byte() % 8)] }

    /// A request the session sent, chosen by the next byte (the newest when it is 0).
    mutating func request() -> STUNMessage? {
        guard !sent.isEmpty else { return nil }
        return sent[sent.count - 1 - Int(byte()) % sent.count]
    }

    mutating func handle(_ outputs: [TURNSessionOutput]) {
        for output in outputs {
            switch output {
            case .send(let bytes):
                guard let message = try? STUNMessage(datagram: bytes) else {
                    fatalError("the session sent a message that does not parse")
                }
                sent.append(message)
                if sent.count > 16 { sent.removeFirst() }
            case .event(let event):
                check(event)
            }
        }
    }

    // MARK: the server's side

    func key() -> STUNKey? {
        try? STUNKey.longTerm(username: "alice", realm: realm, password: Self.password, algorithm: sha256 ? .sha256 : .md5)
    }

    mutating func success() -> ByteBuffer {
        guard let request = request() else { return ByteBuffer() }
        let id = request.transactionID
        let flags = byte()
        var attributes: [STUNAttribute] = []
        switch request.type.method {
        case .allocate:
            let relayed = TransportAddress(ip: flags & 1 == 0 ? .v4(0xC000_020A) : .v6(high: 0x2001_0DB8 << 32, low: 10), port: 50000)
            if flags & 2 == 0 { attributes.append(.xorAddress(.xorRelayedAddress, relayed, transactionID: id)) }
            attributes.append(.xorAddress(.xorMappedAddress, TransportAddress(ip: .v4(0xC633_6407), port: 40000), transactionID: id))
            if flags & 4 == 0 { attributes.append(.lifetime(UInt32(byte()) * 10)) }
        case .refresh:
            if flags & 2 == 0 { attributes.append(.lifetime(flags & 4 == 0 ? 0 : UInt32(byte()) * 10)) }
        case .binding:
            attributes.append(.xorAddress(.xorMappedAddress, TransportAddress(ip: .v4(0xC633_6407), port: 40000), transactionID: id))
        default:
            break
        }
        if flags & 8 != 0 { attributes.append(.software(String(decoding: take(Int(byte() % 32)), as: UTF8.self))) }
        let response = STUNMessage(request.type.method, .successResponse, transactionID: id, attributes: attributes)
        // Signed as the session expects, unsigned, or signed with the wrong key.
        let integrity: STUNIntegrity? = switch flags >> 6 {
        case 0, 1: key().map { STUNIntegrity(key: $0, algorithm: sha256 ? .hmacSHA256 : .hmacSHA1) }
        case 2: nil
        default: STUNIntegrity(key: STUNKey(bytes: [0x6B]))
        }
        return response.encoded(integrity: integrity, fingerprint: flags & 16 == 0)
    }

    mutating func failure() -> ByteBuffer {
        guard let request = request() else { return ByteBuffer() }
        let codes = [401, 438, 300, 400, 403, 437, 441, 442, 446, 447, 486, 500, 508]
        let code = codes[Int(byte()) % codes.count]
        let flags = byte()
        var attributes: [STUNAttribute] = [.errorCode(STUNErrorCode(code))]
        if flags & 1 == 0 {
            let offered = flags & 2 == 0 ? "turnload.test" : "other.realm"
            // The session takes the realm of a challenge or of a stale nonce.
            if code == 401 || code == 438 { realm = offered }
            attributes.append(.realm(offered))
        }
        if flags & 4 == 0 {
            // Now and then the nonce that asks for USERHASH (RFC 8489 §9.2).
            attributes.append(.nonce(flags & 8 == 0 ? "nonce-\(byte())" : "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"))
        }
        if code == 401 {
            sha256 = flags & 16 != 0
            if sha256 { attributes.append(.passwordAlgorithms([.sha256, .md5])) }
        }
        if flags & 32 != 0 { attributes.append(.address(.alternateServer, TransportAddress(ip: .v4(0xC000_0263), port: 3478))) }
        return STUNMessage(request.type.method, .errorResponse, transactionID: request.transactionID, attributes: attributes)
            .encoded(fingerprint: flags & 64 == 0)
    }

    mutating func channelData() -> ByteBuffer {
        let channel = ChannelNumber(rawValue: 0x4000 + UInt16(byte() % 8))!
        var frame = ByteBuffer()
        frame.writeChannelData(ChannelData(channel: channel, payload: ByteBuffer(bytes: take(Int(byte() % 64)))), padded: false)
        return frame
    }

    mutating func dataIndication() -> ByteBuffer {
        let id = TransactionID.random()
        return STUNMessage(.data, .indication, transactionID: id, attributes: [
            .xorAddress(.xorPeerAddress, peer(), transactionID: id), .data(ByteBuffer(bytes: take(Int(byte() % 64)))),
        ]).encoded()
    }

    // MARK: invariants

    mutating func check(_ event: TURNSessionEvent) {
        switch event {
        case .allocated:
            releasing = false
            precondition(session.allocation != nil, "allocated without an allocation")
        case .released:
            releasing = false
            precondition(session.allocation == nil, "released but the allocation is kept")
            for peer in Self.peers {
                precondition(session.channel(for: peer) == nil, "released but the channel to \(peer) is kept")
            }
        case .refreshed:
            precondition(session.allocation != nil, "refreshed without an allocation")
        case .permissionCreated:
            precondition(session.allocation != nil, "a permission created without an allocation")
        case .channelBound(let channel, let peer):
            precondition(session.allocation != nil, "channel \(channel) bound without an allocation")
            precondition(session.channel(for: peer) == channel, "channel \(channel) bound but not kept for \(peer)")
        case .data(let from, _):
            precondition(Self.peers.contains(from), "data from \(from), never a peer")
        case .refreshDone(let refresh):
            precondition(refresh.latency >= .zero, "a \(refresh.kind) refresh answered before it was sent")
        case .bound, .redirected, .failed:
            break
        }
    }

    func check() {
        var used: Set<ChannelNumber> = []
        for peer in Self.peers {
            guard let channel = session.channel(for: peer) else { continue }
            precondition(session.allocation != nil, "channel \(channel) kept for \(peer) without an allocation")
            precondition((0x4000...0x4FFF).contains(channel.rawValue), "channel \(channel) out of RFC 8656's range")
            precondition(used.insert(channel).inserted, "channel \(channel) bound to two peers")
        }
        // A live allocation is always refreshed, unless the owner is releasing it.
        if session.allocation != nil, !releasing {
            precondition(session.nextDeadline != nil, "an allocation that is never refreshed")
        }
        if let deadline = session.nextDeadline {
            precondition(deadline >= .zero, "a deadline before the start")
        }
    }
}

@_cdecl("FuzzTURNSession_main")
public func fuzzTURNSessionMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzTURNSession)
}
