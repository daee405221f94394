import COpenSSL

/// An OpenSSL DTLS 1.2 context (RFC 6347): the client's trust settings, or the server's
/// certificate and key. swift-nio-ssl has no DTLS, hence OpenSSL here.
/// Unchecked Sendable: an SSL_CTX is only read once set up, and OpenSSL locks what its sessions share in it.
public final class DTLSContext: @unchecked Sendable {
    let pointer: OpaquePointer
    let isServer: Bool
    let verifiesPeer: Bool

    /// A client context; without `insecure`, servers must present a certificate trusted by
    /// `caFile` (PEM) or by the system.
    public init(clientTrusting caFile: String?, insecure: Bool) throws(DTLSError) {
        guard let pointer = SSL_CTX_new(DTLS_client_method()) else { throw DTLSError("cannot create a DTLS context") }
        self.pointer = pointer
        isServer = false
        verifiesPeer = !insecure
        _ = turnload_SSL_CTX_set_min_proto_version(pointer, DTLS1_2_VERSION)
        guard !insecure else {
            SSL_CTX_set_verify(pointer, SSL_VERIFY_NONE, nil)
            return
        }
        SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
        let loaded = caFile.map { SSL_CTX_load_verify_locations(pointer, $0, nil) } ?? SSL_CTX_set_default_verify_paths(pointer)
        guard loaded == 1 else {
            throw DTLSError("cannot load the trusted certificates\(caFile.map { " from \($0)" } ?? "")")
        }
    }

    /// A server context presenting the PEM certificate chain and private key in these files.
    /// DTLS 1.2 only, unless `allowingDTLS10`: DTLS 1.0 is deprecated (RFC 8996), and OpenSSL 3
    /// offers it only at security level 0.
    public init(serverCertificate certificateFile: String, key keyFile: String, allowingDTLS10: Bool = false) throws(DTLSError) {
        guard let pointer = SSL_CTX_new(DTLS_server_method()) else { throw DTLSError("cannot create a DTLS context") }
        self.pointer = pointer
        isServer = true
        verifiesPeer = false
        if allowingDTLS10 {
            _ = turnload_SSL_CTX_set_min_proto_version(pointer, DTLS1_VERSION)
            SSL_CTX_set_security_level(pointer, 0)
        } else {
            _ = turnload_SSL_CTX_set_min_proto_version(pointer, DTLS1_2_VERSION)
        }
        guard SSL_CTX_use_certificate_chain_file(pointer, certificateFile) == 1 else {
            throw DTLSError("cannot use the certificate in \(certificateFile): \(DTLSError.lastOpenSSLError())")
        }
        guard SSL_CTX_use_PrivateKey_file(pointer, keyFile, SSL_FILETYPE_PEM) == 1, SSL_CTX_check_private_key(pointer) == 1 else {
            throw DTLSError("cannot use the private key in \(keyFile) with that certificate: \(DTLSError.lastOpenSSLError())")
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }
}

public struct DTLSError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    static func lastOpenSSLError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "no reason given" }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
