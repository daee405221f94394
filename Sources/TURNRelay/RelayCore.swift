import Crypto
import FoundationEssentials
import NIOCore
import TURNProtocol

/// A client as the relay tells clients apart: its transport and address (with the relay's own
/// listening address, the 5-tuple RFC 8656 keys allocations on).
public struct RelayClient: Hashable, Sendable {
    public var transport: TURNTransport
    public var address: TransportAddress

    public init(transport: TURNTransport, address: TransportAddress) {
        self.transport = transport
        self.address = address
    }
}

/// The relay's request handling (RFC 8656 §7–§11) without I/O: authentication, allocations,
/// permissions, channels, quotas and peer policy. The I/O layer hands it each STUN request
/// and a way to open a relayed socket, and sends back the reply it returns.
public struct RelayCore: Sendable {
    public let configuration: RelayConfiguration
    private let nonces = NonceAuthority()
    public private(set) var allocations: [RelayClient: RelayAllocation] = [:]
    private var allocationsPerUser: [QuotaHolder: Int] = [:]
    private var clientsByRelayed: [TransportAddress: RelayClient] = [:]
    private var unauthenticatedLimit: UnauthenticatedLimit
    /// Requests refused or dropped since start, by why.
    public private(set) var rejections = RelayRejections()

    public init(configuration: RelayConfiguration) {
        self.configuration = configuration
        unauthenticatedLimit = UnauthenticatedLimit(perSource: configuration.maximumUnauthenticatedPerAddressPerSecond,
                                                    total: configuration.maximumUnauthenticatedPerSecond)
    }

    /// Handles one STUN request; returns the response to send, or nil for what deserves none
    /// (indications, responses, unparseable bytes). `openRelay` opens a relayed socket and
    /// returns its address, or nil when none is left.
    public mutating func handle(
        _ bytes: ByteBuffer, from client: RelayClient, now: Duration, unixTime: Int64,
        openRelay: () -> TransportAddress?
    ) -> ByteBuffer? {
        guard let request = try? STUNMessage(datagram: bytes) else {
            rejections.malformed += 1
            return nil
        }
        guard request.type.messageClass == .request else { return nil }
        let unknown = request.unknownComprehensionRequiredAttributes
        if !unknown.isEmpty {
            rejections.malformed += 1
            return error(request, .unknownAttribute, extra: [.unknownAttributes(unknown)]).bytes
        }
        // A Binding answer is larger than its request: limited like requests without
        // credentials, so that the relay is a poor reflector.
        if request.type.method == .binding {
            guard admitUnauthenticated(client, now: now) else { return nil }
            return reply(request, [.xorAddress(.xorMappedAddress, client.address, transactionID: request.transactionID)], key: nil).bytes
        }
        let key: STUNIntegrity
        let username: String
        switch authenticate(request, bytes: bytes, client: client, unixTime: unixTime) {
        case .reply(let response, let why):
            guard admitUnauthenticated(client, now: now) else { return nil }
            rejections[keyPath: why] += 1
            return response
        case .authenticated(let name, let integrity): (username, key) = (name, integrity)
        }
        expire(now: now)
        let response: (bytes: ByteBuffer, refused: Bool)
        switch request.type.method {
        case .allocate: response = allocate(request, client: client, username: username, key: key, now: now, openRelay: openRelay)
        case .refresh: response = refresh(request, client: client, username: username, key: key, now: now)
        case .createPermission: response = createPermission(request, client: client, key: key, now: now)
        case .channelBind: response = channelBind(request, client: client, key: key, now: now)
        default: response = error(request, .badRequest, key: key)
        }
        if response.refused { rejections.refused += 1 }
        return response.bytes
    }

    private mutating func admitUnauthenticated(_ client: RelayClient, now: Duration) -> Bool {
        guard unauthenticatedLimit.admit(client.address, now: now) else {
            rejections.rateLimited += 1
            return false
        }
        return true
    }

    /// Frees a client's allocation at once: its TCP or TLS connection closed (RFC 8656 §5).
    public mutating func drop(_ client: RelayClient) {
        if let allocation = allocations[client] { remove(client, allocation) }
    }

    /// Frees allocations whose lifetime ended, and their permissions' and channels' state.
    public mutating func expire(now: Duration) {
        for (client, allocation) in allocations where allocation.expiry <= now {
            remove(client, allocation)
        }
    }

    // MARK: authentication (RFC 8489 §9.2.4)

    private enum Authentication {
        case reply(ByteBuffer, why: WritableKeyPath<RelayRejections, Int>)
        case authenticated(String, STUNIntegrity)
    }

    private func authenticate(_ request: STUNMessage, bytes: ByteBuffer, client: RelayClient, unixTime: Int64) -> Authentication {
        let expiry = unixTime + Int64(configuration.nonceLifetime.components.seconds)
        let challenge: [STUNAttribute] = [.realm(configuration.realm), .nonce(nonces.make(expiringAt: expiry, for: client))]
        guard request.attribute(.messageIntegrity) != nil else {
            return .reply(error(request, .unauthenticated, extra: challenge).bytes, why: \.challenged)
        }
        guard let username = try? request.username, let nonce = try? request.nonce, (try? request.realm) != nil else {
            return .reply(error(request, .badRequest).bytes, why: \.malformed)
        }
        switch nonces.check(nonce, from: client, unixTime: unixTime) {
        case .valid: break
        case .stale: return .reply(error(request, .staleNonce, extra: challenge).bytes, why: \.challenged)
        case .foreign: return .reply(error(request, .staleNonce, extra: challenge).bytes, why: \.badCredentials)
        }
        guard let password = password(for: username, unixTime: unixTime),
              let key = try? STUNKey.longTerm(username: username, realm: configuration.realm, password: password)
        else { return .reply(error(request, .unauthenticated, extra: challenge).bytes, why: \.badCredentials) }
        let integrity = STUNIntegrity(key: key)
        guard (try? integrity.verify(bytes)) != nil else {
            return .reply(error(request, .unauthenticated, extra: challenge).bytes, why: \.badCredentials)
        }
        return .authenticated(username, integrity)
    }

    /// A static user's password, or the REST password of a username whose expiry is ahead.
    private func password(for username: String, unixTime: Int64) -> String? {
        if let password = configuration.users[username] { return password }
        guard let secret = configuration.sharedSecret,
              let expiry = Int64(username.split(separator: ":", maxSplits: 1).first ?? ""), expiry >= unixTime else { return nil }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString()
    }

    // MARK: methods

    private mutating func allocate(_ request: STUNMessage, client: RelayClient, username: String, key: STUNIntegrity,
                                   now: Duration, openRelay: () -> TransportAddress?) -> Response {
        if let existing = allocations[client] {
            // A retransmitted Allocate gets the same answer; anything else is a mismatch.
            guard existing.transactionID == request.transactionID else { return error(request, .allocationMismatch, key: key) }
            return allocated(request, existing, client: client, key: key, now: now)
        }
        guard let transport = try? request.requestedTransport else { return error(request, .badRequest, key: key) }
        guard transport == TransportProtocol.udp.rawValue else { return error(request, .unsupportedTransportProtocol, key: key) }
        if (try? request.requestedAddressFamily) == .ipv6, client.address.ip.family != .ipv6 {
            return error(request, .addressFamilyNotSupported, key: key)
        }
        guard allocationsPerUser[quotaHolder(username), default: 0] < configuration.maximumAllocationsPerUser else {
            return error(request, .allocationQuotaReached, key: key)
        }
        guard allocations.count < configuration.maximumAllocations, let relayed = openRelay() else {
            return error(request, .insufficientCapacity, key: key)
        }
        let lifetime = grantedLifetime(try? request.lifetime)
        let allocation = RelayAllocation(username: username, relayed: relayed, transactionID: request.transactionID,
                                         expiry: now + .seconds(Int64(lifetime)), lifetime: lifetime)
        allocations[client] = allocation
        clientsByRelayed[relayed] = client
        allocationsPerUser[quotaHolder(username), default: 0] += 1
        return allocated(request, allocation, client: client, key: key, now: now)
    }

    private func allocated(_ request: STUNMessage, _ allocation: RelayAllocation, client: RelayClient, key: STUNIntegrity,
                           now: Duration) -> Response {
        reply(request, [
            .xorAddress(.xorRelayedAddress, allocation.relayed, transactionID: request.transactionID),
            .xorAddress(.xorMappedAddress, client.address, transactionID: request.transactionID),
            .lifetime(allocation.lifetime),
        ], key: key)
    }

    private func grantedLifetime(_ requested: UInt32??) -> UInt32 {
        let asked = (requested ?? nil) ?? configuration.defaultLifetime
        return min(max(asked, configuration.defaultLifetime), configuration.maximumLifetime)
    }

    private mutating func refresh(_ request: STUNMessage, client: RelayClient, username: String, key: STUNIntegrity,
                                  now: Duration) -> Response {
        guard var allocation = allocations[client] else { return error(request, .allocationMismatch, key: key) }
        guard allocation.username == username else { return error(request, .wrongCredentials, key: key) }
        let requested = (try? request.lifetime) ?? nil
        if requested == 0 {
            remove(client, allocation)
            return reply(request, [.lifetime(0)], key: key)
        }
        let lifetime = grantedLifetime(requested)
        allocation.expiry = now + .seconds(Int64(lifetime))
        allocation.lifetime = lifetime
        allocations[client] = allocation
        return reply(request, [.lifetime(lifetime)], key: key)
    }

    private mutating func createPermission(_ request: STUNMessage, client: RelayClient, key: STUNIntegrity,
                                           now: Duration) -> Response {
        guard var allocation = allocations[client] else { return error(request, .allocationMismatch, key: key) }
        let peers = request.attributes.filter { $0.type == .xorPeerAddress }.compactMap { attribute -> TransportAddress? in
            var single = request
            single.attributes = [attribute]
            return try? single.address(.xorPeerAddress)
        }
        guard !peers.isEmpty else { return error(request, .badRequest, key: key) }
        guard peers.allSatisfy({ configuration.peerPolicy.permits($0.ip) }) else { return error(request, .forbidden, key: key) }
        for peer in peers { allocation.permissions[peer.ip] = now + configuration.permissionLifetime }
        allocations[client] = allocation
        return reply(request, [], key: key)
    }

    private mutating func channelBind(_ request: STUNMessage, client: RelayClient, key: STUNIntegrity,
                                      now: Duration) -> Response {
        guard var allocation = allocations[client] else { return error(request, .allocationMismatch, key: key) }
        guard let channel = try? request.channelNumber, let peer = try? request.address(.xorPeerAddress) else {
            return error(request, .badRequest, key: key)
        }
        // A channel stays with its peer and a peer with its channel while the binding lives (§11.2).
        if let bound = allocation.channels[channel], bound.peer != peer { return error(request, .badRequest, key: key) }
        if let other = allocation.channelsByPeer[peer], other != channel { return error(request, .badRequest, key: key) }
        guard configuration.peerPolicy.permits(peer.ip) else { return error(request, .forbidden, key: key) }
        allocation.channels[channel] = RelayAllocation.Binding(peer: peer, expiry: now + configuration.channelLifetime)
        allocation.channelsByPeer[peer] = channel
        allocation.permissions[peer.ip] = now + configuration.permissionLifetime
        allocations[client] = allocation
        return reply(request, [], key: key)
    }

    private mutating func remove(_ client: RelayClient, _ allocation: RelayAllocation) {
        allocations[client] = nil
        clientsByRelayed[allocation.relayed] = nil
        let name = quotaHolder(allocation.username)
        allocationsPerUser[name, default: 1] -= 1
        if allocationsPerUser[name] == 0 { allocationsPerUser[name] = nil }
    }

    /// Whom an allocation counts against for `maximumAllocationsPerUser`: a static user, or a
    /// REST username's user part without its expiry (empty for a bare `expiry`), since whoever
    /// holds one can mint a username for every expiry they like.
    private enum QuotaHolder: Hashable {
        case user(String)
        case restUser(Substring)
    }

    private func quotaHolder(_ username: String) -> QuotaHolder {
        if configuration.users[username] != nil { return .user(username) }
        return .restUser(username.firstIndex(of: ":").map { username[username.index(after: $0)...] } ?? "")
    }

    // MARK: data (RFC 8656 §11–§12)

    /// Where a client's ChannelData or Send indication goes: out of its relayed address to a
    /// peer it has a permission for; nil when it must be dropped (no allocation, unbound
    /// channel, no permission).
    public func route(_ frame: TURNFrame, from client: RelayClient, now: Duration)
        -> (relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer)? {
        guard let allocation = allocations[client], allocation.expiry > now else { return nil }
        switch frame {
        case .channelData(let data):
            guard let binding = allocation.channels[data.channel], binding.expiry > now else { return nil }
            return (allocation.relayed, binding.peer, data.payload)
        case .stun(let bytes):
            guard let message = try? STUNMessage(datagram: bytes), message.type == STUNMessageType(.send, .indication),
                  let peer = try? message.address(.xorPeerAddress), let payload = message.data,
                  allocation.permits(peer.ip, now: now) else { return nil }
            return (allocation.relayed, peer, payload)
        }
    }

    /// What reaches the client when `payload` arrives at `relayed` from `peer`: ChannelData on
    /// the peer's channel (padded when the client is on a stream), else a Data indication; nil
    /// without a permission.
    public func deliver(_ payload: ByteBuffer, from peer: TransportAddress, to relayed: TransportAddress, now: Duration)
        -> (client: RelayClient, bytes: ByteBuffer)? {
        guard let client = clientsByRelayed[relayed], let allocation = allocations[client], allocation.expiry > now,
              allocation.permits(peer.ip, now: now) else { return nil }
        if let channel = allocation.channelsByPeer[peer], let binding = allocation.channels[channel], binding.expiry > now {
            var bytes = ByteBuffer()
            bytes.writeChannelData(ChannelData(channel: channel, payload: payload), padded: client.transport.isStream)
            return (client, bytes)
        }
        let id = TransactionID.random()
        let indication = STUNMessage(.data, .indication, transactionID: id,
                                     attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: id), .data(payload)])
        return (client, indication.encoded())
    }

    // MARK: replies

    /// A reply's bytes, and whether it refuses the request.
    private typealias Response = (bytes: ByteBuffer, refused: Bool)

    private func reply(_ request: STUNMessage, _ attributes: [STUNAttribute], key: STUNIntegrity?) -> Response {
        var attributes = attributes
        if let software = configuration.software { attributes.append(.software(software)) }
        let message = STUNMessage(request.type.method, .successResponse, transactionID: request.transactionID, attributes: attributes)
        return (message.encoded(integrity: key, fingerprint: true), false)
    }

    private func error(_ request: STUNMessage, _ code: STUNErrorCode, extra: [STUNAttribute] = [],
                       key: STUNIntegrity? = nil) -> Response {
        var attributes: [STUNAttribute] = [.errorCode(code)] + extra
        if let software = configuration.software { attributes.append(.software(software)) }
        let message = STUNMessage(request.type.method, .errorResponse, transactionID: request.transactionID, attributes: attributes)
        return (message.encoded(integrity: key, fingerprint: true), true)
    }
}

/// Requests the relay refused or dropped, by why; the server logs what grew each second.
public struct RelayRejections: Sendable, Hashable, Codable {
    /// Unparseable STUN, missing USERNAME/NONCE/REALM, unknown comprehension-required attributes.
    public var malformed = 0
    /// Challenged with 401 or 438: no credentials yet, or a stale nonce; every client's first
    /// request is one.
    public var challenged = 0
    /// Credentials present but wrong: unknown user, bad integrity, a nonce the relay never made
    /// or made for another client (a replay, or a client whose NAT rebound; answered 438).
    public var badCredentials = 0
    /// Dropped unanswered: over the limit on requests without valid credentials.
    public var rateLimited = 0
    /// Authenticated requests refused with an error (quota, forbidden peer, mismatch…).
    public var refused = 0

    public init() {}
}

/// One client's allocation on the relay.
public struct RelayAllocation: Sendable, Hashable {
    public var username: String
    public var relayed: TransportAddress
    var transactionID: TransactionID
    public var expiry: Duration
    public var lifetime: UInt32
    /// When each peer's permission ends.
    public var permissions: [IPAddress: Duration] = [:]
    public var channels: [ChannelNumber: Binding] = [:]
    public var channelsByPeer: [TransportAddress: ChannelNumber] = [:]

    public struct Binding: Sendable, Hashable {
        public var peer: TransportAddress
        public var expiry: Duration
    }

    /// Whether a datagram from or to `peer` may pass at `now`.
    public func permits(_ peer: IPAddress, now: Duration) -> Bool {
        (permissions[peer] ?? .zero) > now
    }
}
