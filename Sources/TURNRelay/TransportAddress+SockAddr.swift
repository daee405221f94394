import TURNProtocol

#if canImport(Glibc)
import Glibc
#endif

// The relay loops' conversions between transport addresses and the kernel's sockaddr, in this
// module so that they are specialised and inlined on the packet path.

extension TransportAddress {
    /// From a kernel's sockaddr (what recvmmsg wrote); nil for a family that is not IP.
    init?(sockaddr pointer: UnsafePointer<sockaddr>) {
        switch CInt(pointer.pointee.sa_family) {
        case AF_INET: self.init(UnsafeRawPointer(pointer).loadUnaligned(as: sockaddr_in.self))
        case AF_INET6: self.init(UnsafeRawPointer(pointer).loadUnaligned(as: sockaddr_in6.self))
        default:
            return nil
        }
    }

    /// Calls `body` with the address as a sockaddr on the stack, for a system call.
    @inline(__always)
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        switch ip {
        case .v4(let word):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = port.bigEndian
            raw.sin_addr.s_addr = word.bigEndian
            return try withUnsafePointer(to: &raw) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let high, let low):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &raw.sin6_addr) { bytes in
                bytes.storeBytes(of: high.bigEndian, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            return try withUnsafePointer(to: &raw) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}
