import LoadEngine
import TURNProtocol

extension LoadTarget {
    /// The same endpoint over `transport` (a `--mix`): its host, and its port for its own
    /// kind, plain or secure; for the other kind 3478, or `securePort` for TLS and DTLS.
    func over(_ transport: TURNTransport, securePort: UInt16) -> LoadTarget {
        let port = transport.isSecure == uri.isSecure ? uri.port : transport.isSecure ? securePort : 3478
        var target = self
        target.uri = TURNURI(host: uri.host, port: port, transport: transport)
        return target
    }
}
