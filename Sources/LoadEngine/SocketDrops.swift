import Foundation

/// Datagrams the kernel dropped on the harness's own UDP sockets because their receive queue
/// was full: the same per-socket counter SO_RXQ_OVFL reports, read from /proc/net/udp{,6} for
/// the sockets' local ports, so that none of the hot path's reads needs a control message.
enum SocketDrops {
    /// Drops summed over the sockets bound to `ports`.
    static func count(ports: Set<Int>) -> Int {
        ["/proc/net/udp", "/proc/net/udp6"].reduce(0) { total, path in
            guard let table = try? String(contentsOfFile: path, encoding: .utf8) else { return total }
            return total + count(in: table, ports: ports)
        }
    }

    /// The `drops` column (the last) of the lines whose local port is one of `ports`.
    static func count(in table: String, ports: Set<Int>) -> Int {
        var total = 0
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count >= 13, let colon = fields[1].lastIndex(of: ":"),
                let port = Int(fields[1][fields[1].index(after: colon)...], radix: 16), ports.contains(port),
                let drops = Int(fields[fields.count - 1])
            else { continue }
            total += drops
        }
        return total
    }
}
