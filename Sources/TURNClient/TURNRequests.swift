import TURNProtocol

/// A TURN client's requests, whichever driver carries them to its `TURNSession`: a NIO
/// pipeline (`TURNClientConnection`) or a packet loop (`PacketLoopConnection`).
public protocol TURNRequests: Sendable {
    /// Runs a session call where the session lives and waits for the first event that
    /// `matches`; fails when the connection closes first.
    func perform(
        _ call: @escaping @Sendable (inout TURNSession, Duration) -> [TURNSessionOutput],
        until matches: @escaping @Sendable (TURNSessionEvent) -> Bool
    ) async throws -> TURNSessionEvent
}

extension TURNRequests {
    public func bind() async throws -> TransportAddress {
        let event = try await perform({ $0.bind(now: $1) }) { if case .bound = $0 { true } else { Self.failed($0, .binding) } }
        guard case .bound(let mapped) = event else { throw Self.error(from: event) }
        return mapped
    }

    public func allocate() async throws -> TURNAllocation {
        let event = try await perform({ $0.allocate(now: $1) }) {
            switch $0 {
            case .allocated, .redirected: true
            default: Self.failed($0, .allocate)
            }
        }
        switch event {
        case .allocated(let allocation): return allocation
        case .redirected(let alternate): throw TURNRedirect(alternate: alternate)
        default: throw Self.error(from: event)
        }
    }

    public func createPermission(for peer: TransportAddress) async throws {
        let event = try await perform({ $0.createPermission(for: peer, now: $1) }) {
            if case .permissionCreated(peer.ip) = $0 { true } else { Self.failed($0, .createPermission(peer.ip)) }
        }
        guard case .permissionCreated = event else { throw Self.error(from: event) }
    }

    public func bindChannel(to peer: TransportAddress) async throws -> ChannelNumber {
        let event = try await perform({ $0.bindChannel(to: peer, now: $1) }) {
            switch $0 {
            case .channelBound(_, peer): true
            case .failed(.channelBind(_, peer), _): true
            default: false
            }
        }
        guard case .channelBound(let channel, _) = event else { throw Self.error(from: event) }
        return channel
    }

    public func refresh(lifetime: UInt32) async throws {
        let event = try await perform({ $0.refresh(lifetime: lifetime, now: $1) }) {
            switch $0 {
            case .refreshed, .released: true
            default: Self.failed($0, .refresh(lifetime: lifetime))
            }
        }
        if case .failed = event { throw Self.error(from: event) }
    }

    public func release() async throws {
        let event = try await perform({ $0.release(now: $1) }) {
            switch $0 {
            case .released: true
            default: Self.failed($0, .refresh(lifetime: 0))
            }
        }
        if case .failed = event { throw Self.error(from: event) }
    }

    static func failed(_ event: TURNSessionEvent, _ request: TURNRequest) -> Bool {
        if case .failed(request, _) = event { true } else { false }
    }

    static func error(from event: TURNSessionEvent) -> Error {
        if case .failed(_, let error) = event { return error }
        return TURNClientError.malformedResponse("unexpected \(event)")
    }
}
