import Crypto
import FoundationEssentials
import NIOCore
import RunModel
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
    /// The families the relay has a relayed IP for: what REQUESTED-ADDRESS-FAMILY and
    /// ADDITIONAL-ADDRESS-FAMILY may ask for (RFC 8656 §7.2).
    public let relayFamilies: Set<AddressFamily>
    private let nonces: NonceAuthority
    /// The limits this core shares with the relay's other loops' cores.
    private let ledger: RelayLedger
    public private(set) var allocations: [RelayClient: RelayAllocation] = [:]
    private var clientsByRelayed: [TransportAddress: RelayClient] = [:]
    private var channelRoutes = ChannelRoutes()
    /// No allocation expires before this: requests skip the sweep until then.
    private var nextExpiry: Duration = .zero
    /// Requests refused or dropped since start, by why.
    public private(set) var rejections = RelayRejections()
    /// Allocations freed since start (released, expired, dropped): what tells the server that
    /// relayed sockets are to close.
    public private(set) var removals = 0

    /// A core of its own, or one of a relay's loops' cores, which share `ledger` and `nonces`
    /// (a client always reaches the same loop, but the limits are the relay's).
    public init(
        configuration: RelayConfiguration, relayFamilies: Set<AddressFamily> = [.ipv4],
        ledger: RelayLedger? = nil, nonces: NonceAuthority = NonceAuthority()
    ) {
        self.configuration = configuration
        self.relayFamilies = relayFamilies
        self.ledger = ledger ?? RelayLedger(configuration: configuration)
        self.nonces = nonces
    }

    /// Handles one STUN request; returns the response to send, or nil for what deserves none
    /// (indications, responses, unparseable bytes). `openRelay` opens a relayed socket of the
    /// family asked (always one of `relayFamilies`) and returns its address, or nil when none
    /// is left.
    public mutating func handle(
        _ bytes: ByteBuffer, from client: RelayClient, now: Duration, unixTime: Int64,
        openRelay: (AddressFamily) -> TransportAddress?
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
        let response: Response
        switch request.type.method {
        case .allocate: response = allocate(request, client: client, username: username, key: key, now: now, openRelay: openRelay)
        case .refresh: response = refresh(request, client: client, username: username, key: key, now: now)
        case .createPermission: response = createPermission(request, client: client, key: key, now: now)
        case .channelBind: response = channelBind(request, client: client, key: key, now: now)
        default: response = error(request, .badRequest, key: key)
        }
        if let why = response.refusal { rejections[keyPath: why] += 1 }
        return response.bytes
    }

    private mutating func admitUnauthenticated(_ client: RelayClient, now: Duration) -> Bool {
        guard ledger.admitUnauthenticated(client.address, now: now) else {
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
        guard now >= nextExpiry else { return }
        var next = Duration.seconds(Int64.max / 2)
        for (client, allocation) in allocations {
            if allocation.expiry <= now {
                remove(client, allocation)
            } else {
                next = min(next, allocation.expiry)
            }
        }
        nextExpiry = next
    }

    /// Every change to an allocation goes through here, so that the routes derived from it follow.
    private mutating func store(_ allocation: RelayAllocation?, for client: RelayClient) {
        channelRoutes.update(client, from: allocations[client], to: allocation)
        allocations[client] = allocation
        if let allocation { nextExpiry = min(nextExpiry, allocation.expiry) }
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
            let expiry = Int64(username.split(separator: ":", maxSplits: 1).first ?? ""), expiry >= unixTime
        else { return nil }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: secret))
        return Data(mac).base64EncodedString()
    }

    // MARK: methods

    private mutating func allocate(
        _ request: STUNMessage, client: RelayClient, username: String, key: STUNIntegrity,
        now: Duration, openRelay: (AddressFamily) -> TransportAddress?
    ) -> Response {
        if let existing = allocations[client] {
            // A retransmitted Allocate gets the same answer; anything else is a mismatch.
            guard existing.transactionID == request.transactionID else { return error(request, .allocationMismatch, key: key) }
            return allocated(request, existing, client: client, key: key, now: now)
        }
        guard let transport = try? request.requestedTransport else { return error(request, .badRequest, key: key) }
        guard transport == TransportProtocol.udp.rawValue else { return error(request, .unsupportedTransportProtocol, key: key) }
        let families: [AddressFamily]
        do throws(Refusal) { families = try wantedFamilies(request) } catch { return self.error(request, error.code, key: key) }
        // A single family the relay has no address of is refused at once (§7.2 step 7); a dual
        // allocation takes what it can get and names the rest in ADDRESS-ERROR-CODE.
        if families.count == 1, !relayFamilies.contains(families[0]) {
            return error(request, .addressFamilyNotSupported, key: key)
        }
        // Only a new allocation spends the rate: the 401 round before it was answered
        // unauthenticated, and a retransmission was answered above from the allocation it made.
        // 508, not 486: the limit is the server's, "some capacity limit being reached" (RFC 8656
        // §7.2, §18), which any client may meet and retry later; 486 would say that this
        // user's own quota is full, which no other user's Allocate could have caused.
        guard ledger.admitAllocation(now: now) else {
            return error(request, .insufficientCapacity, key: key, why: \.overAllocateRate)
        }
        let holder = QuotaHolder(username, configuration: configuration)
        switch ledger.reserve(holder) {
        case .granted: break
        case .quotaReached: return error(request, .allocationQuotaReached, key: key)
        case .atCapacity: return error(request, .insufficientCapacity, key: key)
        }
        var relayed: [TransportAddress] = []
        var failed: [AddressErrorCode] = []
        for family in families {
            if !relayFamilies.contains(family) {
                failed.append(AddressErrorCode(family: family, error: .addressFamilyNotSupported))
            } else if let address = openRelay(family) {
                relayed.append(address)
            } else {
                failed.append(AddressErrorCode(family: family, error: .insufficientCapacity))
            }
        }
        // Nothing opened: out of sockets if any family was tried, else no family is served.
        guard !relayed.isEmpty else {
            ledger.release(holder)
            return error(
                request,
                failed.contains { $0.error == .insufficientCapacity }
                    ? .insufficientCapacity
                    : .addressFamilyNotSupported, key: key)
        }
        let lifetime = grantedLifetime(try? request.lifetime)
        let allocation = RelayAllocation(
            username: username, relayedAddresses: relayed, addressError: failed.first,
            transactionID: request.transactionID,
            expiry: now + .seconds(Int64(lifetime)), lifetime: lifetime)
        store(allocation, for: client)
        for address in relayed { clientsByRelayed[address] = client }
        return allocated(request, allocation, client: client, key: key, now: now)
    }

    /// The relayed families an Allocate asks for (RFC 8656 §7.2 steps 6–8): REQUESTED-ADDRESS-FAMILY's,
    /// IPv4 without it, or IPv4 and IPv6 with ADDITIONAL-ADDRESS-FAMILY (whose only valid value
    /// is IPv6). Whatever the client's own family: an IPv4 client may relay over IPv6.
    private func wantedFamilies(_ request: STUNMessage) throws(Refusal) -> [AddressFamily] {
        let requested: AddressFamily?
        let additional: AddressFamily?
        do {
            requested = try request.requestedAddressFamily
            additional = try request.additionalAddressFamily
        } catch .unknownAddressFamily(type: .requestedAddressFamily, family: _) {
            // A family no relay has (§7.2 step 7).
            throw Refusal(code: .addressFamilyNotSupported)
        } catch {
            throw Refusal(code: .badRequest)
        }
        switch (requested, additional) {
        case (.some, .some), (nil, .ipv4?): throw Refusal(code: .badRequest)
        case (nil, .ipv6?): return [.ipv4, .ipv6]
        case (let family?, nil): return [family]
        case (nil, nil): return [.ipv4]
        }
    }

    /// A request refused with `code`.
    private struct Refusal: Error {
        let code: STUNErrorCode
    }

    private func allocated(
        _ request: STUNMessage, _ allocation: RelayAllocation, client: RelayClient, key: STUNIntegrity,
        now: Duration
    ) -> Response {
        // Built from the allocation alone, so that a retransmitted Allocate gets the same answer.
        var attributes = allocation.relayedAddresses.map {
            STUNAttribute.xorAddress(.xorRelayedAddress, $0, transactionID: request.transactionID)
        }
        attributes += [
            .xorAddress(.xorMappedAddress, client.address, transactionID: request.transactionID),
            .lifetime(allocation.lifetime),
        ]
        if let failed = allocation.addressError { attributes.append(.addressErrorCode(failed)) }
        return reply(request, attributes, key: key)
    }

    private func grantedLifetime(_ requested: UInt32??) -> UInt32 {
        let asked = (requested ?? nil) ?? configuration.defaultLifetime
        return min(max(asked, configuration.defaultLifetime), configuration.maximumLifetime)
    }

    private mutating func refresh(
        _ request: STUNMessage, client: RelayClient, username: String, key: STUNIntegrity,
        now: Duration
    ) -> Response {
        guard var allocation = allocations[client] else { return error(request, .allocationMismatch, key: key) }
        // The allocation's user (RFC 8656 §7.3): a REST username renewed with a later expiry
        // names the same user, as a long run's client renews its credential mid-allocation.
        guard QuotaHolder(allocation.username, configuration: configuration) == QuotaHolder(username, configuration: configuration)
        else { return error(request, .wrongCredentials, key: key) }
        let requested = (try? request.lifetime) ?? nil
        if requested == 0 {
            remove(client, allocation)
            return reply(request, [.lifetime(0)], key: key)
        }
        let lifetime = grantedLifetime(requested)
        allocation.expiry = now + .seconds(Int64(lifetime))
        allocation.lifetime = lifetime
        store(allocation, for: client)
        return reply(request, [.lifetime(lifetime)], key: key)
    }

    private mutating func createPermission(
        _ request: STUNMessage, client: RelayClient, key: STUNIntegrity,
        now: Duration
    ) -> Response {
        guard var allocation = allocations[client] else { return error(request, .allocationMismatch, key: key) }
        // A malformed peer address spoils the request (400), as a missing one does.
        let peers = (try? request.addresses(.xorPeerAddress)) ?? []
        guard !peers.isEmpty else { return error(request, .badRequest, key: key) }
        guard peers.allSatisfy({ configuration.peerPolicy.permits($0.ip) }) else { return error(request, .forbidden, key: key) }
        // Data to a peer leaves from the relayed address of its family (§9.1).
        guard peers.allSatisfy({ allocation.relayed($0.ip.family) != nil }) else {
            return error(request, .peerAddressFamilyMismatch, key: key)
        }
        guard admitNewPeers(peers.map(\.ip), to: &allocation, now: now) else {
            store(allocation, for: client)
            return error(request, .insufficientCapacity, key: key, why: \.overNewPeerRate)
        }
        for peer in peers { allocation.permissions[peer.ip] = now + configuration.permissionLifetime }
        store(allocation, for: client)
        return reply(request, [], key: key)
    }

    private mutating func channelBind(
        _ request: STUNMessage, client: RelayClient, key: STUNIntegrity,
        now: Duration
    ) -> Response {
        guard var allocation = allocations[client] else { return error(request, .allocationMismatch, key: key) }
        guard let channel = try? request.channelNumber, let peer = try? request.address(.xorPeerAddress) else {
            return error(request, .badRequest, key: key)
        }
        // A channel stays with its peer and a peer with its channel while the binding lives (§11.2).
        if let bound = allocation.channels[channel], bound.peer != peer { return error(request, .badRequest, key: key) }
        if let other = allocation.channelsByPeer[peer], other != channel { return error(request, .badRequest, key: key) }
        guard configuration.peerPolicy.permits(peer.ip) else { return error(request, .forbidden, key: key) }
        guard allocation.relayed(peer.ip.family) != nil else { return error(request, .peerAddressFamilyMismatch, key: key) }
        guard admitNewPeers([peer.ip], to: &allocation, now: now) else {
            store(allocation, for: client)
            return error(request, .insufficientCapacity, key: key, why: \.overNewPeerRate)
        }
        allocation.channels[channel] = RelayAllocation.Binding(peer: peer, expiry: now + configuration.channelLifetime)
        allocation.channelsByPeer[peer] = channel
        allocation.permissions[peer.ip] = now + configuration.permissionLifetime
        store(allocation, for: client)
        return reply(request, [], key: key)
    }

    /// Spends the allocation's budget of new peers (`maximumNewPeersPerSecondPerAllocation`) on
    /// those of `peers` it holds no live permission for: false, nothing spent, when short. A
    /// retransmitted request finds its permission made and spends nothing again.
    private func admitNewPeers(_ peers: [IPAddress], to allocation: inout RelayAllocation, now: Duration) -> Bool {
        guard let rate = configuration.maximumNewPeersPerSecondPerAllocation else { return true }
        let new = Set(peers.filter { !allocation.permits($0, now: now) }).count
        guard new > 0 else { return true }
        var budget = allocation.newPeerBudget ?? TokenBucket.newPeers(perSecond: rate)
        defer { allocation.newPeerBudget = budget }
        return budget.admit(Double(new), now: now)
    }

    private mutating func remove(_ client: RelayClient, _ allocation: RelayAllocation) {
        removals += 1
        store(nil, for: client)
        for address in allocation.relayedAddresses { clientsByRelayed[address] = nil }
        ledger.release(QuotaHolder(allocation.username, configuration: configuration))
    }

    // MARK: data (RFC 8656 §11–§12)

    /// Whether a live allocation holds `relayed`: the server closes a relayed socket otherwise.
    public func holds(relayed: TransportAddress) -> Bool {
        clientsByRelayed[relayed] != nil
    }

    /// Where a client's ChannelData or Send indication goes: out of its relayed address of the
    /// peer's family to a peer it has a permission for; nil when it must be dropped (no
    /// allocation, unbound channel, no permission, no relayed address of that family).
    public func route(_ frame: TURNFrame, from client: RelayClient, now: Duration)
        -> (relayed: TransportAddress, peer: TransportAddress, payload: ByteBuffer)?
    {
        switch frame {
        case .channelData(let data):
            return route(channel: data.channel, from: client, now: now).map { ($0.relayed, $0.peer, data.payload) }
        case .stun(let bytes):
            guard let allocation = allocations[client], allocation.expiry > now,
                let message = try? STUNMessage(datagram: bytes), message.type == STUNMessageType(.send, .indication),
                let peer = try? message.address(.xorPeerAddress), let payload = message.data,
                allocation.permits(peer.ip, now: now), let relayed = allocation.relayed(peer.ip.family)
            else { return nil }
            return (relayed, peer, payload)
        }
    }

    /// Where ChannelData on `channel` from `client` goes, the payload aside: the packet path
    /// reads the header in place and asks this.
    @inline(__always)
    public func route(channel: ChannelNumber, from client: RelayClient, now: Duration)
        -> (relayed: TransportAddress, peer: TransportAddress)?
    {
        channelRoutes.route(channel: channel, from: client, now: now)
    }

    /// Whom a datagram from `peer` arriving at `relayed` (any of its allocation's relayed
    /// addresses) reaches, and on which channel (nil: in a Data indication); nil without a
    /// permission.
    @inline(__always)
    public func recipient(from peer: TransportAddress, at relayed: TransportAddress, now: Duration)
        -> (client: RelayClient, channel: ChannelNumber?)?
    {
        if let bound = channelRoutes.recipient(from: peer, at: relayed, now: now) { return (bound.client, bound.channel) }
        return recipientWithoutRoute(from: peer, at: relayed, now: now)
    }

    /// A peer without a live channel: a Data indication's recipient, if the peer has a permission.
    private func recipientWithoutRoute(from peer: TransportAddress, at relayed: TransportAddress, now: Duration)
        -> (client: RelayClient, channel: ChannelNumber?)?
    {
        guard let client = clientsByRelayed[relayed], let allocation = allocations[client], allocation.expiry > now,
            allocation.permits(peer.ip, now: now)
        else { return nil }
        if let channel = allocation.channelsByPeer[peer], let binding = allocation.channels[channel], binding.expiry > now {
            return (client, channel)
        }
        return (client, nil)
    }

    /// What reaches the client when `payload` arrives at `relayed` from `peer`: ChannelData
    /// on the peer's channel (padded when the client is on a stream), else a Data indication;
    /// nil without a permission.
    public func deliver(_ payload: ByteBuffer, from peer: TransportAddress, to relayed: TransportAddress, now: Duration)
        -> (client: RelayClient, bytes: ByteBuffer)?
    {
        guard let (client, channel) = recipient(from: peer, at: relayed, now: now) else { return nil }
        return (client, Self.delivery(payload, from: peer, on: channel, to: client))
    }

    /// The bytes that carry `payload` from `peer` to `client`: ChannelData on `channel`, else
    /// a Data indication.
    public static func delivery(
        _ payload: ByteBuffer, from peer: TransportAddress, on channel: ChannelNumber?,
        to client: RelayClient
    ) -> ByteBuffer {
        if let channel {
            var bytes = ByteBuffer()
            bytes.writeChannelData(ChannelData(channel: channel, payload: payload), padded: client.transport.isStream)
            return bytes
        }
        let id = TransactionID.random()
        let indication = STUNMessage(
            .data, .indication, transactionID: id,
            attributes: [.xorAddress(.xorPeerAddress, peer, transactionID: id), .data(payload)])
        return indication.encoded()
    }

    // MARK: replies

    /// A reply's bytes, and the rejection it counts as when it refuses the request.
    private typealias Response = (bytes: ByteBuffer, refusal: WritableKeyPath<RelayRejections, Int>?)

    private func reply(_ request: STUNMessage, _ attributes: [STUNAttribute], key: STUNIntegrity?) -> Response {
        var attributes = attributes
        if let software = configuration.software { attributes.append(.software(software)) }
        let message = STUNMessage(request.type.method, .successResponse, transactionID: request.transactionID, attributes: attributes)
        return (message.encoded(integrity: key, fingerprint: true), nil)
    }

    private func error(
        _ request: STUNMessage, _ code: STUNErrorCode, extra: [STUNAttribute] = [],
        key: STUNIntegrity? = nil, why: WritableKeyPath<RelayRejections, Int> = \.refused
    ) -> Response {
        var attributes: [STUNAttribute] = [.errorCode(code)] + extra
        if let software = configuration.software { attributes.append(.software(software)) }
        let message = STUNMessage(request.type.method, .errorResponse, transactionID: request.transactionID, attributes: attributes)
        return (message.encoded(integrity: key, fingerprint: true), why)
    }
}

/// One client's allocation on the relay.
public struct RelayAllocation: Sendable, Hashable {
    public var username: String
    /// One relayed address per family, IPv4 first: two for a dual allocation (RFC 8656 §7.2).
    public var relayedAddresses: [TransportAddress]
    /// The family a dual allocation could not get, and why: kept to answer a retransmission alike.
    var addressError: AddressErrorCode?
    var transactionID: TransactionID
    public var expiry: Duration
    public var lifetime: UInt32
    /// When each peer's permission ends.
    public var permissions: [IPAddress: Duration] = [:]
    public var channels: [ChannelNumber: Binding] = [:]
    public var channelsByPeer: [TransportAddress: ChannelNumber] = [:]
    /// What is left of `--max-new-peer-rate` for it, once it has added a peer.
    var newPeerBudget: TokenBucket?

    public struct Binding: Sendable, Hashable {
        public var peer: TransportAddress
        public var expiry: Duration
    }

    /// The relayed address of `family`, if the allocation has one.
    public func relayed(_ family: AddressFamily) -> TransportAddress? {
        relayedAddresses.first { $0.ip.family == family }
    }

    /// Whether a datagram from or to `peer` may pass at `now`.
    public func permits(_ peer: IPAddress, now: Duration) -> Bool {
        (permissions[peer] ?? .zero) > now
    }
}
