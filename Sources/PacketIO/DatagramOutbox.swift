import CPacketIO

#if canImport(Glibc)
import Glibc
#endif

/// Datagrams queued to many destinations and sent from one socket with one sendmmsg: a
/// relay's listener answering every client a wakeup read for. Each is a short header and a
/// payload, copied in, so that the batch they were read into may be read into again.
/// Used by one thread at a time.
public final class DatagramOutbox {
    private let outbox: OpaquePointer

    public init() {
        guard let outbox = pio_outbox_create() else { fatalError("out of memory for a datagram outbox") }
        self.outbox = outbox
    }

    deinit { pio_outbox_destroy(outbox) }

    public var isEmpty: Bool { pio_outbox_count(outbox) == 0 }

    /// Queues `header` and `payload` for `destination`, first sending what is queued from
    /// `descriptor` when the outbox is full; false when the datagram is too large.
    @inline(__always)
    public func add(
        header: UInt32, headerLength: Int, payload: UnsafeRawBufferPointer,
        to destination: UnsafePointer<sockaddr>, length: socklen_t, flushingTo descriptor: CInt
    ) -> Bool {
        if pio_outbox_count(outbox) == DatagramBatch.capacity { flush(from: descriptor) }
        var bigEndian = header.bigEndian
        return withUnsafeBytes(of: &bigEndian) { head in
            pio_outbox_add(
                outbox, head.baseAddress!.assumingMemoryBound(to: UInt8.self), CInt(headerLength),
                payload.baseAddress?.assumingMemoryBound(to: UInt8.self), CInt(payload.count), destination, length) >= 0
        }
    }

    /// Sends everything queued from `descriptor`: how many left (what a full send buffer
    /// refused is lost).
    @discardableResult
    public func flush(from descriptor: CInt) -> Int {
        Int(pio_outbox_flush(outbox, descriptor))
    }
}
