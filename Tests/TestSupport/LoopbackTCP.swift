import Foundation

/// A blocking TCP connection to 127.0.0.1, for tests that poke a listener directly.
public enum LoopbackTCP {
    /// A connected socket, or nil when nothing accepts on `port`; the caller closes it.
    public static func connected(toPort port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackAddress(port: port)
        guard address.withSocketAddress({ connect(descriptor, $0, $1.pointee) }) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// A socket listening on 127.0.0.1:`port`, or nil when the port is taken; the caller closes it.
    public static func listening(onPort port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = LoopbackAddress(port: port)
        guard address.withSocketAddress({ bind(descriptor, $0, $1.pointee) }) == 0, listen(descriptor, 1) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Whether the other end closed `descriptor` (or reset it) within `milliseconds`.
    public static func closedByPeer(_ descriptor: Int32, within milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) == 1 else { return false }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT)) <= 0
    }

    /// The whole reply to `GET path` (HTTP/1.0, so the server closes when done) from 127.0.0.1.
    public static func get(port: Int, path: String) throws -> String {
        guard let descriptor = connected(toPort: port) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(descriptor) }
        let request = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
        _ = send(descriptor, request, request.count, 0)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            reply += buffer[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }
}
