import NIOCore
import TURNProtocol

/// What a session wants done: bytes to send to the server, or news for its owner.
public enum TURNSessionOutput: Sendable {
    case send(ByteBuffer)
    case event(TURNSessionEvent)
}

public enum TURNSessionEvent: Sendable {
    case bound(mapped: TransportAddress)
    case allocated(TURNAllocation)
    case refreshed(lifetime: UInt32)
    case released
    case permissionCreated(IPAddress)
    case channelBound(ChannelNumber, TransportAddress)
    /// 300 Try Alternate: the owner reconnects to this server and starts again, once.
    case redirected(TransportAddress)
    case data(from: TransportAddress, payload: ByteBuffer)
    case failed(TURNRequest, TURNClientError)
    /// A refresh the session made on its own schedule was answered or failed (after the
    /// event above that says what became of the allocation, permission or channel).
    case refreshDone(TURNRefresh)
}

/// The relayed transport addresses and what the server said of them.
public struct TURNAllocation: Hashable, Sendable {
    /// One per family the server relays for this allocation: two for a dual allocation.
    public var relayedAddresses: [TransportAddress]
    public var mapped: TransportAddress?
    public var lifetime: UInt32
    public var software: String?
    /// The family of a dual allocation the server did not relay, and why (ADDRESS-ERROR-CODE).
    public var refusedFamily: AddressErrorCode?

    public init(
        relayedAddresses: [TransportAddress], mapped: TransportAddress?, lifetime: UInt32, software: String?,
        refusedFamily: AddressErrorCode? = nil
    ) {
        precondition(!relayedAddresses.isEmpty, "an allocation has a relayed address")
        self.relayedAddresses = relayedAddresses
        self.mapped = mapped
        self.lifetime = lifetime
        self.software = software
        self.refusedFamily = refusedFamily
    }

    /// The first relayed address the server named.
    public var relayed: TransportAddress { relayedAddresses[0] }

    /// The relayed address that reaches peers of `family`, if the allocation has one.
    public func relayed(for family: AddressFamily) -> TransportAddress? {
        relayedAddresses.first { $0.ip.family == family }
    }
}

/// Which relayed addresses an Allocate asks for (RFC 8656 §7.1): IPv4 (the default, no
/// attribute), IPv6 (REQUESTED-ADDRESS-FAMILY), or one of each (ADDITIONAL-ADDRESS-FAMILY).
public enum RelayFamily: String, Sendable, CaseIterable {
    case ipv4, ipv6, both

    /// The family of the server's own address: what a client reaching it that way most likely
    /// wants relayed.
    public init(serverFamily: AddressFamily) {
        self = serverFamily == .ipv6 ? .ipv6 : .ipv4
    }

    var allocateAttributes: [STUNAttribute] {
        switch self {
        case .ipv4: []
        case .ipv6: [.requestedAddressFamily(.ipv6)]
        case .both: [.additionalAddressFamily(.ipv6)]
        }
    }
}

public struct TURNSessionConfiguration: Sendable {
    public var credential: ClientCredential
    public var schedule: RetransmissionSchedule
    /// Asked for in Allocate; the server's default (600 s) when nil.
    public var lifetime: UInt32?
    public var relayFamily: RelayFamily
    public var software: String?
    public var refreshIntervals: RefreshIntervals

    public init(
        credential: ClientCredential, reliable: Bool, lifetime: UInt32? = nil,
        relayFamily: RelayFamily = .ipv4, software: String? = "turnload", requestTimeout: Duration? = nil,
        refreshIntervals: RefreshIntervals = .rfc8656
    ) {
        self.credential = credential
        self.schedule = RetransmissionSchedule(reliable: reliable, limit: requestTimeout)
        self.lifetime = lifetime
        self.relayFamily = relayFamily
        self.software = software
        self.refreshIntervals = refreshIntervals
    }
}

/// One client's allocation lifecycle (RFC 8656) as a state machine without I/O: feed it what
/// the server sent and the time, send what it returns. Time is any monotonic `Duration` the
/// owner likes, so that tests drive it with a scripted clock; wall time (for REST credentials)
/// comes from `unixTime`.
public struct TURNSession: Sendable {
    public private(set) var allocation: TURNAllocation?
    public let configuration: TURNSessionConfiguration

    /// What the server's 401 taught: realm, nonce and how to sign.
    private var authentication: Authentication?
    private var pending: [TransactionID: Transaction] = [:]
    private var channels: [ChannelNumber: TransportAddress] = [:]
    private var channelsByPeer: [TransportAddress: ChannelNumber] = [:]
    /// When each permission and channel binding was last confirmed, for their refreshes.
    private var permissionTimes: [IPAddress: Duration] = [:]
    private var channelTimes: [ChannelNumber: Duration] = [:]
    private var allocationTime: Duration = .zero
    private var nextChannel: UInt16 = ChannelNumber.rfc8656Range.lowerBound
    private var releasing = false

    public init(configuration: TURNSessionConfiguration) {
        self.configuration = configuration
    }

    struct Authentication {
        var username: String
        var realm: String
        var nonce: String
        var integrity: STUNIntegrity
        var userhash: [UInt8]?
        var passwordAlgorithms: STUNAttribute?
        var passwordAlgorithm: PasswordAlgorithm?
        /// Unix time after which a REST credential is replaced by a fresh one.
        var renewal: Int64?
    }

    struct Transaction {
        var request: TURNRequest
        var message: STUNMessage
        var bytes: ByteBuffer
        var firstSent: Duration
        var sends: Int
        /// A fresh nonce was already tried after a 438.
        var staleRetried = false
        /// A fresh REST credential was already tried after a 401.
        var credentialRenewed = false
        var authenticated: Bool
        /// Sent by `advance` to keep something alive, and when it first was: reported once
        /// answered (`refreshDone`).
        var refresh: (kind: TURNRefresh.Kind, began: Duration)?
    }

    // MARK: requests

    /// A STUN Binding request: the server-reflexive address, unauthenticated.
    public mutating func bind(now: Duration) -> [TURNSessionOutput] {
        start(.binding, STUNMessage(.binding, .request), authenticated: false, now: now)
    }

    /// Allocate, first without credentials to learn the realm and nonce (RFC 8656 §7.1).
    public mutating func allocate(now: Duration) -> [TURNSessionOutput] {
        var message = STUNMessage(.allocate, .request, attributes: allocateAttributes())
        if let authentication {
            message.attributes += authenticationAttributes(authentication)
            return start(.allocate, message, authenticated: true, now: now)
        }
        return start(.allocate, message, authenticated: false, now: now)
    }

    public mutating func refresh(lifetime: UInt32, now: Duration) -> [TURNSessionOutput] {
        refresh(lifetime: lifetime, now: now, scheduled: false)
    }

    private mutating func refresh(lifetime: UInt32, now: Duration, scheduled: Bool) -> [TURNSessionOutput] {
        guard allocation != nil else { return [.event(.failed(.refresh(lifetime: lifetime), .noAllocation))] }
        return startAuthenticated(
            .refresh(lifetime: lifetime), STUNMessage(.refresh, .request, attributes: [.lifetime(lifetime)]), now: now,
            refresh: scheduled ? .allocation : nil)
    }

    /// Refresh with lifetime 0: the server frees the allocation.
    public mutating func release(now: Duration) -> [TURNSessionOutput] {
        releasing = true
        return refresh(lifetime: 0, now: now)
    }

    public mutating func createPermission(for peer: TransportAddress, now: Duration) -> [TURNSessionOutput] {
        createPermission(for: peer, now: now, scheduled: false)
    }

    private mutating func createPermission(for peer: TransportAddress, now: Duration, scheduled: Bool) -> [TURNSessionOutput] {
        guard allocation != nil else { return [.event(.failed(.createPermission(peer.ip), .noAllocation))] }
        let id = TransactionID.random()
        let message = STUNMessage(
            .createPermission, .request, transactionID: id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: id)])
        return startAuthenticated(.createPermission(peer.ip), message, now: now, refresh: scheduled ? .permission : nil)
    }

    /// Binds the next free channel to `peer` (which also installs a permission for it).
    public mutating func bindChannel(to peer: TransportAddress, now: Duration) -> [TURNSessionOutput] {
        bindChannel(to: peer, now: now, scheduled: false)
    }

    private mutating func bindChannel(to peer: TransportAddress, now: Duration, scheduled: Bool) -> [TURNSessionOutput] {
        let channel = channelsByPeer[peer] ?? ChannelNumber(rawValue: nextChannel)!
        guard allocation != nil else { return [.event(.failed(.channelBind(channel, peer), .noAllocation))] }
        if channelsByPeer[peer] == nil { nextChannel = nextChannel == 0x4FFF ? 0x4000 : nextChannel + 1 }
        let id = TransactionID.random()
        let message = STUNMessage(
            .channelBind, .request, transactionID: id,
            attributes: [
                .channelNumber(channel), .xorAddress(.xorPeerAddress, peer, transactionID: id),
            ])
        return startAuthenticated(.channelBind(channel, peer), message, now: now, refresh: scheduled ? .channel : nil)
    }

    /// The channel bound to a peer, once the server confirmed it.
    public func channel(for peer: TransportAddress) -> ChannelNumber? {
        channelsByPeer[peer].flatMap { channels[$0] == peer ? $0 : nil }
    }

    /// A Send indication carrying `payload` to `peer` (the data path without a channel).
    public func sendIndication(_ payload: ByteBuffer, to peer: TransportAddress) -> ByteBuffer {
        let id = TransactionID.random()
        return STUNMessage(
            .send, .indication, transactionID: id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: id), .data(payload)]
        ).encoded()
    }

    // MARK: input

    /// Handles one datagram from the server: a STUN message or ChannelData.
    public mutating func receive(_ bytes: ByteBuffer, now: Duration, unixTime: Int64) -> [TURNSessionOutput] {
        guard let frame = TURNFrame(datagram: bytes) else { return [] }
        return receive(frame, now: now, unixTime: unixTime)
    }

    /// Handles one frame from the server, as a stream deframer or a datagram gives it.
    public mutating func receive(_ frame: TURNFrame, now: Duration, unixTime: Int64) -> [TURNSessionOutput] {
        let bytes: ByteBuffer
        switch frame {
        case .channelData(let channelData):
            guard let peer = channels[channelData.channel] else { return [] }
            return [.event(.data(from: peer, payload: channelData.payload))]
        case .stun(let stun):
            bytes = stun
        }
        guard let message = try? STUNMessage(datagram: bytes) else { return [] }
        if message.type == STUNMessageType(.data, .indication) {
            guard let peer = try? message.address(.xorPeerAddress), let payload = message.data else { return [] }
            return [.event(.data(from: peer, payload: payload))]
        }
        guard let transaction = pending.removeValue(forKey: message.transactionID) else { return [] }
        switch message.type.messageClass {
        case .successResponse:
            return reportingRefresh(transaction, succeeded(transaction, message, bytes: bytes, now: now), now: now)
        case .errorResponse:
            return reportingRefresh(transaction, rejected(transaction, message, bytes: bytes, now: now, unixTime: unixTime), now: now)
        case .request, .indication:
            pending[message.transactionID] = transaction
            return []
        }
    }

    /// Retransmissions, timeouts and the refreshes that keep the allocation, its permissions and
    /// its channels alive.
    public mutating func advance(to now: Duration) -> [TURNSessionOutput] {
        var outputs: [TURNSessionOutput] = []
        let schedule = configuration.schedule
        let offsets = schedule.sendOffsets
        for (id, transaction) in pending {
            let elapsed = now - transaction.firstSent
            if elapsed >= schedule.timeout {
                pending[id] = nil
                let error = TURNClientError.timeout(sends: transaction.sends, seconds: Double(schedule.timeout.seconds))
                outputs += reportingRefresh(transaction, [.event(.failed(transaction.request, error))], now: now)
            } else if transaction.sends < offsets.count, elapsed >= offsets[transaction.sends] {
                pending[id]!.sends += 1
                outputs.append(.send(transaction.bytes))
            }
        }
        guard let allocation, !releasing else { return outputs }
        let intervals = configuration.refreshIntervals
        if now - allocationTime >= Self.refreshMargin(lifetime: allocation.lifetime), !refreshPending {
            allocationTime = now
            outputs += refresh(lifetime: configuration.lifetime ?? allocation.lifetime, now: now, scheduled: true)
        }
        for (ip, confirmed) in permissionTimes where now - confirmed >= intervals.permission {
            permissionTimes[ip] = now
            outputs += createPermission(for: TransportAddress(ip: ip, port: 0), now: now, scheduled: true)
        }
        for (channel, confirmed) in channelTimes where now - confirmed >= intervals.channel {
            channelTimes[channel] = now
            if let peer = channels[channel] { outputs += bindChannel(to: peer, now: now, scheduled: true) }
        }
        return outputs
    }

    /// The next time `advance` has something to do.
    public var nextDeadline: Duration? {
        let schedule = configuration.schedule
        let offsets = schedule.sendOffsets
        var deadlines = pending.values.map { transaction in
            transaction.firstSent + (transaction.sends < offsets.count ? offsets[transaction.sends] : schedule.timeout)
        }
        if let allocation, !releasing {
            deadlines.append(allocationTime + Self.refreshMargin(lifetime: allocation.lifetime))
            deadlines += permissionTimes.values.map { $0 + configuration.refreshIntervals.permission }
            deadlines += channelTimes.values.map { $0 + configuration.refreshIntervals.channel }
        }
        return deadlines.min()
    }

    /// Refresh a minute before the lifetime ends, or at half of a short one.
    static func refreshMargin(lifetime: UInt32) -> Duration {
        .seconds(Int64(lifetime) > 120 ? Int64(lifetime) - 60 : Int64(lifetime) / 2)
    }

    /// A refresh of `advance`'s, once answered or given up on (not when it is sent again after a
    /// 401 or 438): reported with its time, and when it failed tried again soon while the
    /// lifetime it protects runs out, unless the allocation is gone (RFC 8656 §7.3: a 437 says
    /// so). Other requests' outcomes pass through.
    private mutating func reportingRefresh(
        _ transaction: Transaction, _ outputs: [TURNSessionOutput], now: Duration
    ) -> [TURNSessionOutput] {
        guard let (kind, began) = transaction.refresh,
            !outputs.contains(where: { if case .send = $0 { true } else { false } })
        else { return outputs }
        let error = outputs.lazy.compactMap { output -> TURNClientError? in
            if case .event(.failed(_, let error)) = output { error } else { nil }
        }.first
        if let error { retry(transaction.request, after: error, now: now) }
        let refresh = TURNRefresh(kind: kind, latency: now - began, error: error, credentialRenewed: transaction.credentialRenewed)
        return outputs + [.event(.refreshDone(refresh))]
    }

    /// Brings a failed refresh's next try forward to `retryDelay` from now.
    private mutating func retry(_ request: TURNRequest, after error: TURNClientError, now: Duration) {
        if case .rejected(let code) = error, code.code == STUNErrorCode.allocationMismatch.code {
            endAllocation()
            return
        }
        guard let allocation else { return }
        let intervals = configuration.refreshIntervals
        switch request {
        case .refresh:
            let margin = Self.refreshMargin(lifetime: allocation.lifetime)
            allocationTime = now - margin + RefreshIntervals.retryDelay(after: margin)
        case .createPermission(let ip) where permissionTimes[ip] != nil:
            permissionTimes[ip] = now - intervals.permission + RefreshIntervals.retryDelay(after: intervals.permission)
        case .channelBind(let channel, _) where channelTimes[channel] != nil:
            channelTimes[channel] = now - intervals.channel + RefreshIntervals.retryDelay(after: intervals.channel)
        default:
            break
        }
    }

    // MARK: internals

    /// The allocation is gone (released, or the server says so): its channels and permissions
    /// went with it, and a later allocation starts afresh and is refreshed again.
    private mutating func endAllocation() {
        allocation = nil
        channels = [:]
        channelsByPeer = [:]
        permissionTimes = [:]
        channelTimes = [:]
        nextChannel = ChannelNumber.rfc8656Range.lowerBound
        releasing = false
    }

    private func allocateAttributes() -> [STUNAttribute] {
        var attributes: [STUNAttribute] = [.requestedTransport(.udp)]
        if let lifetime = configuration.lifetime { attributes.append(.lifetime(lifetime)) }
        attributes += configuration.relayFamily.allocateAttributes
        if let software = configuration.software { attributes.append(.software(software)) }
        return attributes
    }

    private func authenticationAttributes(_ authentication: Authentication) -> [STUNAttribute] {
        var attributes: [STUNAttribute] = [
            authentication.userhash.map { .userhash($0) } ?? .username(authentication.username),
            .realm(authentication.realm), .nonce(authentication.nonce),
        ]
        if let algorithms = authentication.passwordAlgorithms, let algorithm = authentication.passwordAlgorithm {
            attributes += [algorithms, .passwordAlgorithm(algorithm)]
        }
        return attributes
    }

    private var refreshPending: Bool {
        pending.values.contains { if case .refresh = $0.request { true } else { false } }
    }

    private mutating func startAuthenticated(
        _ request: TURNRequest, _ message: STUNMessage, now: Duration, refresh: TURNRefresh.Kind? = nil
    ) -> [TURNSessionOutput] {
        guard let authentication else { return [.event(.failed(request, .noAllocation))] }
        var message = message
        message.attributes += authenticationAttributes(authentication)
        let outputs = start(request, message, authenticated: true, now: now)
        if let refresh { pending[message.transactionID]!.refresh = (refresh, now) }
        return outputs
    }

    private mutating func start(
        _ request: TURNRequest, _ message: STUNMessage, authenticated: Bool,
        now: Duration
    ) -> [TURNSessionOutput] {
        let bytes = message.encoded(integrity: authenticated ? authentication?.integrity : nil, fingerprint: true)
        pending[message.transactionID] = Transaction(
            request: request, message: message, bytes: bytes, firstSent: now, sends: 1, authenticated: authenticated)
        return [.send(bytes)]
    }

    /// Sends the same request again as a new transaction with fresh authentication attributes.
    private mutating func restart(
        _ transaction: Transaction, now: Duration, staleRetried: Bool = false,
        credentialRenewed: Bool = false
    ) -> [TURNSessionOutput] {
        guard let authentication else { return [] }
        var message = transaction.message
        message.transactionID = .random()
        message.attributes.removeAll { Self.authenticationTypes.contains($0.type) }
        // XOR-encoded attributes depend on the transaction id for IPv6: encode them anew.
        message.attributes = message.attributes.map { attribute in
            guard attribute.type.isXORAddress,
                let address = try? transaction.message.address(attribute.type)
            else { return attribute }
            return .xorAddress(attribute.type, address, transactionID: message.transactionID)
        }
        message.attributes += authenticationAttributes(authentication)
        let outputs = start(transaction.request, message, authenticated: true, now: now)
        pending[message.transactionID]!.staleRetried = staleRetried
        // Kept across a 438 that follows: the refresh still renewed its credential on the way.
        pending[message.transactionID]!.credentialRenewed = credentialRenewed || transaction.credentialRenewed
        pending[message.transactionID]!.refresh = transaction.refresh
        return outputs
    }

    static let authenticationTypes: Set<STUNAttributeType> = [
        .username, .userhash, .realm, .nonce, .passwordAlgorithm, .passwordAlgorithms,
    ]

    private mutating func succeeded(
        _ transaction: Transaction, _ message: STUNMessage, bytes: ByteBuffer,
        now: Duration
    ) -> [TURNSessionOutput] {
        if transaction.authenticated, let integrity = authentication?.integrity,
            message.attribute(integrity.algorithm.attributeType) != nil
        {
            do { try integrity.verify(bytes) } catch {
                return [.event(.failed(transaction.request, .responseIntegrity(error)))]
            }
        }
        do {
            switch transaction.request {
            case .binding:
                guard let mapped = try message.address(.xorMappedAddress) ?? message.address(.mappedAddress) else {
                    throw TURNClientError.malformedResponse("Binding response without a mapped address")
                }
                return [.event(.bound(mapped: mapped))]
            case .allocate:
                let relayed = try message.addresses(.xorRelayedAddress)
                guard !relayed.isEmpty else {
                    throw TURNClientError.malformedResponse("Allocate response without XOR-RELAYED-ADDRESS")
                }
                let lifetime = try message.lifetime ?? 600
                let allocation = TURNAllocation(
                    relayedAddresses: relayed, mapped: try message.address(.xorMappedAddress),
                    lifetime: lifetime, software: try message.software,
                    refusedFamily: try message.addressErrorCode)
                self.allocation = allocation
                allocationTime = now
                releasing = false
                return [.event(.allocated(allocation))]
            case .refresh:
                let lifetime = try message.lifetime ?? 0
                if lifetime == 0 || releasing {
                    endAllocation()
                    return [.event(.released)]
                }
                // A refresh answered after the allocation ended refreshes nothing.
                guard allocation != nil else { throw TURNClientError.noAllocation }
                allocationTime = now
                allocation?.lifetime = lifetime
                return [.event(.refreshed(lifetime: lifetime))]
            case .createPermission(let ip):
                // Answered after a release: the permission went with the allocation.
                guard allocation != nil else { throw TURNClientError.noAllocation }
                permissionTimes[ip] = now
                return [.event(.permissionCreated(ip))]
            case .channelBind(let channel, let peer):
                guard allocation != nil else { throw TURNClientError.noAllocation }
                channels[channel] = peer
                channelsByPeer[peer] = channel
                channelTimes[channel] = now
                permissionTimes[peer.ip] = now
                return [.event(.channelBound(channel, peer))]
            }
        } catch let error as TURNClientError {
            return [.event(.failed(transaction.request, error))]
        } catch {
            return [.event(.failed(transaction.request, .malformedResponse("\(error)")))]
        }
    }

    private mutating func rejected(
        _ transaction: Transaction, _ message: STUNMessage, bytes: ByteBuffer,
        now: Duration, unixTime: Int64
    ) -> [TURNSessionOutput] {
        guard let error = try? message.errorCode else {
            return [.event(.failed(transaction.request, .malformedResponse("error response without ERROR-CODE")))]
        }
        switch error.code {
        case 401 where !transaction.authenticated:
            do {
                authentication = try learn(from: message, unixTime: unixTime)
            } catch {
                return [.event(.failed(transaction.request, error))]
            }
            return restart(transaction, now: now)
        case 401:
            // A REST credential past its renewal time: take a fresh one and try once more, as
            // providers expire them every few minutes.
            if !transaction.credentialRenewed, let renewal = authentication?.renewal, unixTime >= renewal,
                let renewed = try? learn(from: message, unixTime: unixTime)
            {
                authentication = renewed
                return restart(transaction, now: now, credentialRenewed: true)
            }
            return [.event(.failed(transaction.request, .wrongCredentials(error)))]
        case 438:
            guard !transaction.staleRetried, let nonce = try? message.nonce else {
                return [.event(.failed(transaction.request, .staleNonceLoop))]
            }
            authentication?.nonce = nonce
            if let realm = try? message.realm { authentication?.realm = realm }
            return restart(transaction, now: now, staleRetried: true)
        case 300:
            if case .allocate = transaction.request, let alternate = try? message.address(.alternateServer) {
                return [.event(.redirected(alternate))]
            }
            return [.event(.failed(transaction.request, .rejected(error)))]
        default:
            if releasing, case .refresh = transaction.request, error.code == 437 {
                // The allocation is gone already: that is what a release wants.
                endAllocation()
                return [.event(.released)]
            }
            return [.event(.failed(transaction.request, .rejected(error)))]
        }
    }

    /// Long-term credentials from a 401 challenge (RFC 8489 §9.2.3): MD5 unless the server
    /// offers SHA-256 in PASSWORD-ALGORITHMS.
    private func learn(from challenge: STUNMessage, unixTime: Int64) throws(TURNClientError) -> Authentication {
        guard let realm = try? challenge.realm, let nonce = try? challenge.nonce else {
            throw .challengeWithoutRealmOrNonce
        }
        let offered = (try? challenge.passwordAlgorithms) ?? nil
        let algorithm: PasswordAlgorithm? = offered.map { $0.contains(PasswordAlgorithm.sha256.rawValue) ? .sha256 : .md5 }
        let (username, password) = configuration.credential.current(unixTime: unixTime)
        do {
            let key = try STUNKey.longTerm(username: username, realm: realm, password: password, algorithm: algorithm ?? .md5)
            return Authentication(
                username: username, realm: realm, nonce: nonce,
                integrity: STUNIntegrity(key: key, algorithm: algorithm == .sha256 ? .hmacSHA256 : .hmacSHA1),
                userhash: Self.wantsUserhash(nonce: nonce) ? try STUNKey.userhash(username: username, realm: realm) : nil,
                passwordAlgorithms: offered == nil ? nil : challenge.attribute(.passwordAlgorithms),
                passwordAlgorithm: algorithm.flatMap { offered == nil ? nil : $0 },
                renewal: configuration.credential.renewalTime(takenAt: unixTime))
        } catch {
            throw .credential("\(error)")
        }
    }

    /// RFC 8489 §9.2: a nonce starting with "obMatJos2" carries 24 security feature bits in 4
    /// base64 characters; the username-anonymity bit lets the client send USERHASH. The bit
    /// order follows RFC 8489's own vector (B.1's "AAAC" sends USERHASH): 0x02 of the last byte.
    static func wantsUserhash(nonce: String) -> Bool {
        guard nonce.hasPrefix("obMatJos2"), let last = nonce.dropFirst(12).first else { return false }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        guard let value = alphabet.firstIndex(of: last) else { return false }
        return value & 0b000010 != 0
    }
}

extension Duration {
    public var seconds: Double { self / .seconds(1) }
}
