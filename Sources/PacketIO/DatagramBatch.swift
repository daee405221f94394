import CPacketIO

#if canImport(Glibc)
import Glibc
#endif

/// Up to 64 datagrams read from a socket with one recvmmsg, in buffers allocated once: the
/// packet path reads without allocating, and can send any of them back to its source with
/// one sendmmsg (an echo peer answers a whole batch at the cost of one call).
/// Used by one thread at a time.
public final class DatagramBatch {
    private let batch: OpaquePointer
    /// How many the last `receive` read.
    public private(set) var count = 0

    public static let capacity = Int(PIO_BATCH_SIZE)

    public init() {
        guard let batch = pio_batch_create() else { fatalError("out of memory for a datagram batch") }
        self.batch = batch
    }

    deinit { pio_batch_destroy(batch) }

    /// Reads what waits on `descriptor`, without blocking: how many datagrams (0 when none
    /// was waiting), or the errno of a failed read (ECONNREFUSED on a connected socket whose
    /// server sent ICMP port unreachable). `most` below the capacity spares the kernel a
    /// second look at a socket that rarely holds more (each look that finds nothing costs it
    /// the socket's lock).
    public func receive(from descriptor: CInt, atMost most: Int = capacity) -> Result<Int, SocketError> {
        let result = pio_batch_receive(batch, descriptor, CInt(most))
        if result >= 0 {
            count = Int(result)
            return .success(count)
        }
        count = 0
        return -result == EAGAIN || -result == EWOULDBLOCK ? .success(0) : .failure(SocketError(errno: -result, operation: "recvmmsg"))
    }

    /// The bytes of datagram `index` of the last `receive`, valid until the next.
    @inline(__always)
    public func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: pio_batch_bytes(batch, CInt(index)), count: Int(pio_batch_length(batch, CInt(index))))
    }

    /// When the kernel queued datagram `index`, on the monotonic clock (`PacketLoop.now`), if
    /// its socket stamps arrivals (`UDPSocket.stampArrivals`).
    /// Never later than the read: a wall-clock step between the stamp and the read could
    /// otherwise put it in the future.
    @inline(__always)
    public func arrival(_ index: Int) -> Int64? {
        let stamp = pio_batch_arrival(batch, CInt(index))
        return stamp < 0 ? nil : stamp
    }

    /// Where datagram `index` of the last `receive` came from, valid until the next.
    @inline(__always)
    public func source(_ index: Int) -> UnsafePointer<sockaddr> { pio_batch_source(batch, CInt(index)) }

    /// Datagram `index` is to go back to its source at the next `sendMarked`.
    @inline(__always)
    public func mark(_ index: Int) { pio_batch_mark(batch, CInt(index)) }

    /// Sends every marked datagram back to its source from `descriptor` (unconnected) with
    /// sendmmsg: how many left, or the errno of the first that could not.
    public func sendMarked(from descriptor: CInt) -> Result<Int, SocketError> {
        let result = pio_batch_send_marked(batch, descriptor)
        return result >= 0 ? .success(Int(result)) : .failure(SocketError(errno: -result, operation: "sendmmsg"))
    }
}

/// A socket call that failed, and its errno.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    public let errno: CInt
    public let operation: String

    public init(errno: CInt, operation: String) {
        self.errno = errno
        self.operation = operation
    }

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
