import DTLS
import NIOCore
import NIOPosix
import NIOSSL
import TURNProtocol

// NIO's listeners: TCP, TLS and DTLS (UDP has the relay loops' own sockets).
extension RelayServer {
    func open(_ listener: RelayListener, identity: RelayIdentity?) async throws -> Channel {
        let address = SocketAddress(listener.address)
        let name = "\(listener.address)/\(listener.transport.rawValue)"
        do {
            switch listener.transport {
            case .udp:
                throw RelayStartError("\(name): UDP listens on the relay loops' own sockets")
            case .dtls:
                guard let identity else { throw RelayStartError("\(name) needs a certificate and key (--cert, --key)") }
                let context = try DTLSContext(
                    serverCertificate: identity.certificateFile, key: identity.keyFile,
                    allowingDTLS10: configuration.allowsLegacyTLS)
                try await clients.eventLoop.submit { self.clients.dtlsContext = context }.get()
                return try await DatagramBootstrap(group: clients.eventLoop)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DTLSClientsHandler(clients: self.clients))
                        }
                    }
                    .bind(to: address).get()
            case .tcp, .tls:
                let tls =
                    try listener.transport == .tls
                    ? Self.tlsContext(identity, name: name, allowingLegacy: configuration.allowsLegacyTLS) : nil
                return try await ServerBootstrap(group: clients.eventLoop, childGroup: clients.eventLoop)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(logger: self.logger))
                        }
                    }
                    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                            try channel.pipeline.syncOperations.addHandlers([
                                ByteToMessageHandler(TURNStreamDecoder()),
                                StreamClientHandler(clients: self.clients, transport: listener.transport),
                            ])
                        }
                    }
                    .bind(to: address).get()
            }
        } catch let error as RelayStartError {
            throw error
        } catch let error as DTLSError {
            throw RelayStartError("\(name): \(error)")
        } catch {
            throw RelayStartError("cannot listen on \(name): \(error)")
        }
    }

    private static func tlsContext(_ identity: RelayIdentity?, name: String, allowingLegacy: Bool) throws -> NIOSSLContext {
        guard let identity else { throw RelayStartError("\(name) needs a certificate and key (--cert, --key)") }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(identity.certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: identity.keyFile, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            configuration.minimumTLSVersion = allowingLegacy ? .tlsv1 : .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RelayStartError(
                "\(name): cannot use the certificate \(identity.certificateFile) "
                    + "and key \(identity.keyFile): \(error)")
        }
    }

}
