import NIOCore
import PacketIO
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("packet I/O")
struct PacketIOTests {
    static let loopback = try! SocketAddress(ipAddress: "127.0.0.1", port: 0)

    static func connected(to port: Int) throws -> UDPSocket {
        let socket = try UDPSocket.bound(to: loopback)
        let server = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        #expect(server.withSockAddr { connect(socket.descriptor, $0, socklen_t($1)) } == 0)
        return socket
    }

    /// Reads whatever `socket` has within a second, blocking.
    static func receive(_ socket: UDPSocket) -> [UInt8]? {
        var poller = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 1000) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = recv(socket.descriptor, &buffer, buffer.count, 0)
        return count >= 0 ? Array(buffer[0..<count]) : nil
    }

    /// One recvmmsg reads what two senders sent; the marked one goes back to its own sender
    /// only, byte for byte, with one sendmmsg.
    @Test func batchReadsAllAndSendsMarkedBackToTheirSources() throws {
        let peer = try UDPSocket.bound(to: Self.loopback)
        defer { peer.close() }
        let port = try #require(peer.localPort)
        let (first, second) = (try Self.connected(to: port), try Self.connected(to: port))
        defer {
            first.close()
            second.close()
        }
        #expect([UInt8]([1, 2, 3]).withUnsafeBytes { first.send($0) })
        #expect([UInt8]([4, 5]).withUnsafeBytes { second.send($0) })
        usleep(50_000)
        let batch = DatagramBatch()
        #expect(try batch.receive(from: peer.descriptor).get() == 2)
        #expect(Array(batch.datagram(0)) == [1, 2, 3] && Array(batch.datagram(1)) == [4, 5])
        batch.mark(1)
        #expect(try batch.sendMarked(from: peer.descriptor).get() == 1)
        #expect(Self.receive(second) == [4, 5])
        #expect(Self.receive(first) == nil)
        #expect(try batch.receive(from: peer.descriptor).get() == 0, "nothing waits: 0, not an error")
    }

    /// An outbox sends each queued header and payload to its own destination with one flush,
    /// and the source each was read from is where the batch says it came from.
    @Test func outboxSendsHeaderAndPayloadToEachDestination() throws {
        let sender = try UDPSocket.bound(to: Self.loopback)
        let (first, second) = (try UDPSocket.bound(to: Self.loopback), try UDPSocket.bound(to: Self.loopback))
        defer {
            sender.close()
            first.close()
            second.close()
        }
        let outbox = DatagramOutbox()
        for (receiver, payload) in [(first, [UInt8]([9, 8])), (second, [7])] {
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: try #require(receiver.localPort))
            let queued = payload.withUnsafeBytes { bytes in
                address.withSockAddr {
                    outbox.add(
                        header: 0x4001_0002, headerLength: 4, payload: bytes, to: $0,
                        length: socklen_t($1), flushingTo: sender.descriptor)
                }
            }
            #expect(queued)
        }
        #expect(!outbox.isEmpty)
        #expect(outbox.flush(from: sender.descriptor) == 2)
        #expect(outbox.isEmpty)
        #expect(Self.receive(first) == [0x40, 0x01, 0x00, 0x02, 9, 8])
        #expect(Self.receive(second) == [0x40, 0x01, 0x00, 0x02, 7])
        let oversized = [UInt8](repeating: 0, count: 2048)
        let refused = oversized.withUnsafeBytes { bytes in
            Self.loopback.withSockAddr {
                outbox.add(
                    header: 0, headerLength: 4, payload: bytes, to: $0, length: socklen_t($1),
                    flushingTo: sender.descriptor)
            }
        }
        #expect(!refused, "2052 bytes do not fit a 2048-byte datagram buffer")
        let batch = DatagramBatch()
        #expect(
            [UInt8]([1]).withUnsafeBytes { bytes in
                try! SocketAddress(ipAddress: "127.0.0.1", port: first.localPort!).withSockAddr {
                    sendto(sender.descriptor, bytes.baseAddress, bytes.count, 0, $0, socklen_t($1)) == 1
                }
            })
        usleep(50_000)
        #expect(try batch.receive(from: first.descriptor).get() == 1)
        let source = batch.source(0).withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        #expect(Int(UInt16(bigEndian: source.sin_port)) == sender.localPort)
    }

    /// A stamped arrival is the kernel's, on the monotonic clock: after the send, before the
    /// read.
    @Test func arrivalsAreStampedOnTheMonotonicClock() throws {
        let receiver = try UDPSocket.bound(to: Self.loopback)
        defer { receiver.close() }
        receiver.stampArrivals()
        let sender = try Self.connected(to: try #require(receiver.localPort))
        defer { sender.close() }
        let before = PacketLoop.now()
        #expect([UInt8]([1]).withUnsafeBytes { sender.send($0) })
        usleep(20_000)
        let batch = DatagramBatch()
        #expect(try batch.receive(from: receiver.descriptor).get() == 1)
        let read = PacketLoop.now()
        let arrival = try #require(batch.arrival(0))
        // Usually 20 ms before the read; under load the kernel may process loopback's queue late.
        #expect(
            arrival >= before - 100_000 && arrival <= read, "arrival \(arrival - before) ns after the send, read \(read - arrival) ns later"
        )

        let unstamped = try UDPSocket.bound(to: Self.loopback)
        defer { unstamped.close() }
        let other = try Self.connected(to: try #require(unstamped.localPort))
        defer { other.close() }
        #expect([UInt8]([2]).withUnsafeBytes { other.send($0) })
        usleep(10_000)
        #expect(try batch.receive(from: unstamped.descriptor).get() == 1)
        #expect(batch.arrival(0) == nil)
    }

    /// A connected socket whose server sent ICMP port unreachable reads ECONNREFUSED.
    @Test func closedPortReadsAsRefused() throws {
        let gone = try UDPSocket.bound(to: Self.loopback)
        let port = try #require(gone.localPort)
        gone.close()
        let socket = try Self.connected(to: port)
        defer { socket.close() }
        #expect([UInt8]([0]).withUnsafeBytes { socket.send($0) })
        usleep(50_000)
        #expect(DatagramBatch().receive(from: socket.descriptor) == .failure(SocketError(errno: ECONNREFUSED, operation: "recvmmsg")))
    }

    /// What a full receive queue dropped is the socket's own count, exactly what was sent
    /// and not read.
    @Test func fullReceiveQueueDropsAreCounted() throws {
        let receiver = try UDPSocket.bound(to: Self.loopback, bufferBytes: 4096)
        defer { receiver.close() }
        let sender = try Self.connected(to: try #require(receiver.localPort))
        defer { sender.close() }
        let payload = [UInt8](repeating: 7, count: 1000)
        for _ in 0..<200 { _ = payload.withUnsafeBytes { sender.send($0) } }
        var read = 0
        let batch = DatagramBatch()
        while let count = try? batch.receive(from: receiver.descriptor).get(), count > 0 { read += count }
        #expect(receiver.receiveQueueDrops > 0)
        #expect(read + receiver.receiveQueueDrops == 200)
    }

    /// The loop runs submitted work, tells its handler of reads by token and of its deadline,
    /// and stops when asked, also with work still queued.
    @Test func loopDeliversReadsDeadlinesAndJobs() async throws {
        final class Recorder: PacketLoopHandler, @unchecked Sendable {
            let tokens = Mutex<[UInt64]>([])
            let deadlines = Mutex(0)
            let socket: UDPSocket
            init(socket: UDPSocket) { self.socket = socket }
            func readable(token: UInt64) {
                _ = DatagramBatch().receive(from: socket.descriptor)
                tokens.withLock { $0.append(token) }
            }
            func deadlineReached(now: Int64) -> Int64? {
                deadlines.withLock { $0 += 1 }
                return nil
            }
        }
        let loop = try PacketLoop(name: "test-loop")
        let socket = try UDPSocket.bound(to: Self.loopback)
        defer { socket.close() }
        let recorder = Recorder(socket: socket)
        try await loop.submit {
            loop.setHandler(recorder)
            try loop.watch(socket.descriptor, token: 42)
            loop.setDeadline(PacketLoop.now() + 5_000_000)
        }
        let sender = try Self.connected(to: try #require(socket.localPort))
        defer { sender.close() }
        #expect([UInt8]([9]).withUnsafeBytes { sender.send($0) })
        try await Task.sleep(for: .milliseconds(100))
        #expect(recorder.tokens.withLock { $0 } == [42])
        #expect(recorder.deadlines.withLock { $0 } == 1, "once: the handler asked for no other")
        #expect(try await loop.submit { 7 } == 7)
        for _ in 0..<50 { loop.execute {} }
        loop.shutdown()
        #expect(try await loop.submit { 8 } == 8, "a stopped loop runs work where it comes from, rather than never")
    }

    /// With reads waiting for the deadline, a datagram that arrives early is read at the
    /// deadline, in the same wakeup as the deadline's work.
    @Test func readsCanWaitForTheDeadline() async throws {
        final class Recorder: PacketLoopHandler, @unchecked Sendable {
            let readAt = Mutex<Int64?>(nil)
            let socket: UDPSocket
            init(socket: UDPSocket) { self.socket = socket }
            func readable(token: UInt64) {
                _ = DatagramBatch().receive(from: socket.descriptor)
                readAt.withLock { $0 = PacketLoop.now() }
            }
            func deadlineReached(now: Int64) -> Int64? { nil }
        }
        let loop = try PacketLoop(name: "test-wait")
        let socket = try UDPSocket.bound(to: Self.loopback)
        defer { socket.close() }
        let recorder = Recorder(socket: socket)
        let deadline = PacketLoop.now() + 80_000_000
        try await loop.submit {
            loop.setHandler(recorder)
            try loop.watch(socket.descriptor, token: 1)
            loop.setReadsWaitForDeadline(true)
            loop.setDeadline(deadline)
        }
        let sender = try Self.connected(to: try #require(socket.localPort))
        defer { sender.close() }
        #expect([UInt8]([3]).withUnsafeBytes { sender.send($0) })
        try await Task.sleep(for: .milliseconds(200))
        let readAt = try #require(recorder.readAt.withLock { $0 })
        #expect(readAt >= deadline)
        loop.shutdown()
    }
}
