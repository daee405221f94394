import Foundation

/// Datagrams the kernel dropped at any full UDP receive queue in this network namespace so far
/// (`RcvbufErrors` of /proc/net/snmp): on loopback, a sign that some process of the test, ours
/// or another's, fell behind on a busy machine. 0 when the file cannot be read.
public func udpReceiveBufferErrors() -> Int {
    guard let snmp = try? String(contentsOfFile: "/proc/net/snmp", encoding: .utf8) else { return 0 }
    let udp = snmp.split(separator: "\n").filter { $0.hasPrefix("Udp:") }.map { $0.split(separator: " ") }
    guard udp.count >= 2, let column = udp[0].firstIndex(of: "RcvbufErrors"), column < udp[1].count else { return 0 }
    return Int(udp[1][column]) ?? 0
}
