import COpenSSL
import NIOCore
import NIOTLS
import TURNProtocol

/// DTLS 1.2 client over a datagram channel (RFC 6347), with OpenSSL on memory BIOs so that NIO
/// keeps the socket: encrypted datagrams to and from the server below, plaintext datagrams
/// above. Reports the handshake as NIOSSL does (a `TLSUserEvent.handshakeCompleted` event, or
/// an error), so the same watcher serves TLS and DTLS. Made on the connecting task, then used
/// only on the channel's event loop, hence the unchecked Sendable.
final class DTLSClientHandler: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias InboundOut = AddressedEnvelope<ByteBuffer>
    typealias OutboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// Below common path MTUs, so that handshake flights are not fragmented by IP.
    static let mtu = 1200

    private let server: SocketAddress
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let networkIn: OpaquePointer
    private let networkOut: OpaquePointer
    private var handshakeDone = false
    private var failed = false
    private var pendingWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var retransmitTimer: Scheduled<Void>?
    private let hostname: String

    init(server: SocketAddress, hostname: String, options: TLSOptions) throws {
        self.server = server
        self.hostname = hostname
        guard let context = SSL_CTX_new(DTLS_client_method()) else { throw Self.error("cannot create a DTLS context") }
        self.context = context
        _ = turnload_SSL_CTX_set_min_proto_version(context, DTLS1_2_VERSION)
        if options.insecure {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            let loaded = options.caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) }
                ?? SSL_CTX_set_default_verify_paths(context)
            guard loaded == 1 else {
                SSL_CTX_free(context)
                throw Self.error("cannot load the trusted certificates\(options.caFile.map { " from \($0)" } ?? "")")
            }
        }
        guard let ssl = SSL_new(context), let networkIn = BIO_new(BIO_s_mem()), let networkOut = BIO_new(BIO_s_mem()) else {
            SSL_CTX_free(context)
            throw Self.error("cannot create a DTLS session")
        }
        self.ssl = ssl
        self.networkIn = networkIn
        self.networkOut = networkOut
        _ = turnload_BIO_set_mem_eof_return(networkIn, -1)
        SSL_set_bio(ssl, networkIn, networkOut)
        SSL_set_connect_state(ssl)
        _ = turnload_SSL_set_mtu(ssl, Self.mtu)
        if IPAddress(hostname) == nil {
            _ = turnload_SSL_set_tlsext_host_name(ssl, hostname)
            if !options.insecure { SSL_set1_host(ssl, hostname) }
        } else if !options.insecure {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), hostname)
        }
    }

    deinit {
        SSL_free(ssl)  // frees both BIOs too
        SSL_CTX_free(context)
    }

    func channelActive(context: ChannelHandlerContext) {
        advanceHandshake(context: context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { advanceHandshake(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        retransmitTimer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == server, !failed else { return }
        _ = envelope.data.withUnsafeReadableBytes { BIO_write(networkIn, $0.baseAddress, Int32($0.count)) }
        if !handshakeDone {
            advanceHandshake(context: context)
            guard handshakeDone else { return }
        }
        readPlaintext(context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let plaintext = unwrapOutboundIn(data).data
        guard handshakeDone else {
            pendingWrites.append((plaintext, promise))
            return
        }
        encrypt(plaintext, promise: promise, context: context)
    }

    // MARK: internals

    private func encrypt(_ plaintext: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        let written = plaintext.withUnsafeReadableBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard written > 0 else {
            promise?.fail(Self.error("write failed: \(Self.lastError())"))
            return
        }
        flushNetwork(context: context, promise: promise)
    }

    private func advanceHandshake(context: ChannelHandlerContext) {
        let result = SSL_do_handshake(ssl)
        flushNetwork(context: context, promise: nil)
        if result == 1 {
            handshakeDone = true
            retransmitTimer?.cancel()
            context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
            let writes = pendingWrites
            pendingWrites = []
            for (plaintext, promise) in writes { encrypt(plaintext, promise: promise, context: context) }
            return
        }
        let code = SSL_get_error(ssl, result)
        guard code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE else {
            fail(context: context, Self.handshakeError(ssl: ssl, hostname: hostname))
            return
        }
        scheduleRetransmission(context: context)
    }

    /// DTLS resends lost handshake flights itself, when asked at the time it names.
    private func scheduleRetransmission(context: ChannelHandlerContext) {
        retransmitTimer?.cancel()
        var timeout = timeval()
        guard turnload_DTLS_get_timeout(ssl, &timeout) == 1 else { return }
        let delay = TimeAmount.seconds(Int64(timeout.tv_sec)) + .microseconds(Int64(timeout.tv_usec))
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        retransmitTimer = context.eventLoop.scheduleTask(in: delay) { [self] in
            let context = boundContext.value
            guard !handshakeDone, !failed else { return }
            if turnload_DTLS_handle_timeout(ssl) < 0 {
                fail(context: context, Self.error("handshake with \(hostname) timed out"))
                return
            }
            flushNetwork(context: context, promise: nil)
            scheduleRetransmission(context: context)
        }
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 2048)
        while true {
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 2048) { raw in
                max(0, Int(SSL_read(ssl, raw.baseAddress, Int32(raw.count))))
            }
            guard read > 0 else { break }
            context.fireChannelRead(wrapInboundOut(AddressedEnvelope(remoteAddress: server, data: buffer)))
            buffer = context.channel.allocator.buffer(capacity: 2048)
        }
        flushNetwork(context: context, promise: nil)
    }

    /// Sends what OpenSSL queued as one datagram (DTLS allows several records in one).
    private func flushNetwork(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let pending = Int(BIO_ctrl_pending(networkOut))
        guard pending > 0 else {
            promise?.succeed()
            return
        }
        var datagram = context.channel.allocator.buffer(capacity: pending)
        datagram.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { raw in
            max(0, Int(BIO_read(networkOut, raw.baseAddress, Int32(pending))))
        }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: server, data: datagram)), promise: promise)
    }

    private func fail(context: ChannelHandlerContext, _ error: Error) {
        guard !failed else { return }
        failed = true
        retransmitTimer?.cancel()
        for (_, promise) in pendingWrites { promise?.fail(error) }
        pendingWrites = []
        context.fireErrorCaught(error)
    }

    private static func handshakeError(ssl: OpaquePointer, hostname: String) -> TURNConnectionError {
        let verification = SSL_get_verify_result(ssl)
        if verification != X509_V_OK {
            let reason = X509_verify_cert_error_string(verification).map { String(validatingCString: $0) ?? "" } ?? ""
            if verification == X509_V_ERR_HOSTNAME_MISMATCH || verification == X509_V_ERR_IP_ADDRESS_MISMATCH {
                return .dtls("certificate does not name \(hostname) (use --insecure to skip the check)")
            }
            return .dtls("certificate for \(hostname) is not trusted: \(reason) (use --ca-file or --insecure)")
        }
        return .dtls("handshake with \(hostname) failed: \(lastError())")
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "no reason given" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func error(_ text: String) -> TURNConnectionError { .dtls(text) }
}
