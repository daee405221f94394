import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Every address a TURN URI's host stands for, in the order to try them (RFC 8305 §4).
public enum ServerAddresses {
    /// An IP literal as it is; a name through getaddrinfo, on NIO's thread pool, given up
    /// after `timeout` (a lookup that never returns is left behind, not waited for).
    public static func resolve(_ uri: TURNURI, timeout: Duration) async throws -> [SocketAddress] {
        if let ip = uri.ipAddress { return [SocketAddress(TransportAddress(ip: ip, port: uri.port))] }
        let host = uri.host
        let port = uri.port
        let socketType = uri.transport.isStream ? SOCK_STREAM : SOCK_DGRAM
        let resolved = try await firstOf(
            timeout: timeout,
            late: LookupError("DNS: no answer for \(host) within \(formatSeconds(timeout.seconds))")
        ) {
            try await NIOThreadPool.singleton.runIfActive { try lookup(host, port: port, socketType: Int32(socketType.rawValue)) }
        }
        return interleaved(resolved)
    }

    /// Families alternate, starting with the family getaddrinfo put first (it sorts by RFC
    /// 6724, IPv6 first where it is usable), so that one family failing costs one attempt
    /// delay, not a timeout per address.
    public static func interleaved(_ addresses: [SocketAddress]) -> [SocketAddress] {
        guard let first = addresses.first else { return [] }
        let preferred = addresses.filter { $0.protocol == first.protocol }
        let other = addresses.filter { $0.protocol != first.protocol }
        var order: [SocketAddress] = []
        for index in 0..<max(preferred.count, other.count) {
            if index < preferred.count { order.append(preferred[index]) }
            if index < other.count { order.append(other[index]) }
        }
        return order
    }

    private static func lookup(_ host: String, port: UInt16, socketType: Int32) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketType
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            throw LookupError("DNS: cannot resolve \(host) (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let raw = info.ai_addr else { continue }
            let address: SocketAddress
            switch info.ai_family {
            case AF_INET: address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
            case AF_INET6: address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
            default: continue
            }
            if !addresses.contains(address) { addresses.append(address) }
        }
        guard !addresses.isEmpty else { throw LookupError("DNS: \(host) has no IPv4 or IPv6 address") }
        return addresses
    }
}

/// `body`'s result, or `late` thrown once `timeout` passes, or CancellationError once the
/// caller is cancelled, whichever comes first; a body still running then is left to finish
/// on its own. For work that cannot be cancelled, such as a blocking lookup.
func firstOf<T: Sendable>(
    timeout: Duration, late: any Error & Sendable,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = NIOLockedValueBox<CheckedContinuation<T, Error>?>(nil)
    let finish = { @Sendable (result: Result<T, Error>) in
        outcome.withLockedValue { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }
    var tasks: [Task<Void, Never>] = []
    defer { for task in tasks { task.cancel() } }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.withLockedValue { $0 = continuation }
            // A cancel before the continuation was kept found nothing to resume.
            if Task.isCancelled { return finish(.failure(CancellationError())) }
            tasks = [
                Task {
                    do { finish(.success(try await body())) } catch { finish(.failure(error)) }
                },
                Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    finish(.failure(late))
                },
            ]
        }
    } onCancel: {
        finish(.failure(CancellationError()))
    }
}
