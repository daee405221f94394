import COpenSSL
import NIOCore
import TURNProtocol

/// One DTLS association without I/O: OpenSSL on memory BIOs. The owner feeds it the
/// datagrams that arrive, sends the datagrams it hands back, and calls `handleTimeout()` when
/// `retransmissionDelay` has passed during the handshake. Not thread-safe: one owner, one loop.
public final class DTLSSession {
    /// Below common path MTUs, so that handshake flights are not fragmented by IP.
    public static let mtu = 1200

    public enum Handshake: Equatable, Sendable {
        case inProgress
        case done
        case failed(String)
    }

    private let context: DTLSContext
    private let ssl: OpaquePointer
    private let networkIn: OpaquePointer
    private let networkOut: OpaquePointer
    private let peerName: String
    public private(set) var handshake = Handshake.inProgress

    /// `peerName` is the server's name or IP for a client (SNI and certificate check), and
    /// only a label in messages for a server.
    public init(context: DTLSContext, peerName: String) throws(DTLSError) {
        guard let ssl = SSL_new(context.pointer) else { throw DTLSError("cannot create a DTLS session") }
        guard let networkIn = BIO_new(BIO_s_mem()), let networkOut = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw DTLSError("cannot create a DTLS session")
        }
        self.context = context
        self.ssl = ssl
        self.networkIn = networkIn
        self.networkOut = networkOut
        self.peerName = peerName
        _ = turnload_BIO_set_mem_eof_return(networkIn, -1)
        SSL_set_bio(ssl, networkIn, networkOut)
        _ = turnload_SSL_set_mtu(ssl, Self.mtu)
        if context.isServer {
            SSL_set_accept_state(ssl)
            return
        }
        SSL_set_connect_state(ssl)
        if IPAddress(peerName) != nil {
            if context.verifiesPeer { X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), peerName) }
        } else {
            _ = turnload_SSL_set_tlsext_host_name(ssl, peerName)
            if context.verifiesPeer { SSL_set1_host(ssl, peerName) }
        }
    }

    deinit {
        SSL_free(ssl) // frees both BIOs too
    }

    /// Whether a datagram opens a handshake: a ClientHello record in epoch 0 (RFC 6347 §4.1,
    /// §4.2). A server that sees one from a peer it already knows starts afresh: the client
    /// gave up on the old handshake or restarted, and OpenSSL cannot take a second hello.
    public static func isClientHello(_ datagram: ByteBuffer) -> Bool {
        let start = datagram.readerIndex
        guard datagram.readableBytes > 13,
            datagram.getInteger(at: start, as: UInt8.self) == 22,
            datagram.getInteger(at: start + 3, as: UInt16.self) == 0
        else { return false }
        return datagram.getInteger(at: start + 13, as: UInt8.self) == 1
    }

    /// Moves the handshake on; a client calls this once to send its first flight.
    public func advance() {
        guard handshake == .inProgress else { return }
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            handshake = .done
            return
        }
        let code = SSL_get_error(ssl, result)
        if code != SSL_ERROR_WANT_READ, code != SSL_ERROR_WANT_WRITE { handshake = .failed(failureReason()) }
    }

    /// Takes in one datagram from the peer; returns the plaintext datagrams it carried.
    public func receive(_ datagram: ByteBuffer, allocator: ByteBufferAllocator) -> [ByteBuffer] {
        if case .failed = handshake { return [] }
        _ = datagram.withUnsafeReadableBytes { BIO_write(networkIn, $0.baseAddress, Int32($0.count)) }
        if handshake == .inProgress {
            advance()
            guard handshake == .done else { return [] }
        }
        var plaintexts: [ByteBuffer] = []
        while true {
            var buffer = allocator.buffer(capacity: 2048)
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 2048) { raw in
                max(0, Int(SSL_read(ssl, raw.baseAddress, Int32(raw.count))))
            }
            guard read > 0 else { break }
            plaintexts.append(buffer)
        }
        return plaintexts
    }

    /// Encrypts one plaintext datagram; the record then waits in `pendingDatagram`.
    public func send(_ plaintext: ByteBuffer) throws(DTLSError) {
        let written = plaintext.withUnsafeReadableBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written > 0 else { throw DTLSError("write to \(peerName) failed: \(DTLSError.lastOpenSSLError())") }
    }

    /// What OpenSSL queued for the peer, as one datagram (DTLS allows several records in one).
    public func pendingDatagram(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = Int(BIO_ctrl_pending(networkOut))
        guard pending > 0 else { return nil }
        var datagram = allocator.buffer(capacity: pending)
        datagram.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { raw in
            max(0, Int(BIO_read(networkOut, raw.baseAddress, Int32(pending))))
        }
        return datagram
    }

    /// When OpenSSL wants to resend its last handshake flight; nil when it wants nothing.
    public var retransmissionDelay: TimeAmount? {
        var timeout = timeval()
        guard handshake == .inProgress, turnload_DTLS_get_timeout(ssl, &timeout) == 1 else { return nil }
        return .seconds(Int64(timeout.tv_sec)) + .microseconds(Int64(timeout.tv_usec))
    }

    /// Resends the last flight (then see `pendingDatagram`), or fails the handshake when
    /// OpenSSL has given up.
    public func handleTimeout() {
        guard handshake == .inProgress else { return }
        if turnload_DTLS_handle_timeout(ssl) < 0 { handshake = .failed("handshake with \(peerName) timed out") }
    }

    private func failureReason() -> String {
        let verification = SSL_get_verify_result(ssl)
        guard verification == X509_V_OK else {
            if verification == X509_V_ERR_HOSTNAME_MISMATCH || verification == X509_V_ERR_IP_ADDRESS_MISMATCH {
                return "certificate does not name \(peerName) (use --insecure to skip the check)"
            }
            let reason = X509_verify_cert_error_string(verification).map { String(validatingCString: $0) ?? "" } ?? ""
            return "certificate for \(peerName) is not trusted: \(reason) (use --ca-file or --insecure)"
        }
        return "handshake with \(peerName) failed: \(DTLSError.lastOpenSSLError())"
    }
}
