import TURNProtocol
import Testing

@Suite("turn: and turns: URIs (RFC 7065)")
struct TURNURITests {
    @Test(arguments: [
        ("turn:relay.example.com", "relay.example.com", UInt16(3478), TURNTransport.udp),
        ("turn:relay.example.com:3479?transport=tcp", "relay.example.com", 3479, .tcp),
        ("turn:relay.example.com?transport=udp", "relay.example.com", 3478, .udp),
        ("turns:relay.example.com", "relay.example.com", 5349, .tls),
        ("turns:relay.example.com:443?transport=tcp", "relay.example.com", 443, .tls),
        ("turns:relay.example.com:443?transport=udp", "relay.example.com", 443, .dtls),
        ("TURN:192.0.2.1:80", "192.0.2.1", 80, .udp),
        ("turn:[::1]", "::1", 3478, .udp),
        ("turns:[2001:db8::7]:5350?transport=udp", "2001:db8::7", 5350, .dtls),
    ])
    func parses(text: String, host: String, port: UInt16, transport: TURNTransport) throws {
        let uri = try TURNURI(text)
        #expect(uri.host == host)
        #expect(uri.port == port)
        #expect(uri.transport == transport)
        #expect(try TURNURI(uri.description) == uri)
    }

    @Test func canonicalForm() throws {
        #expect(try TURNURI("turns:relay.example.com:443?transport=udp").description == "turns:relay.example.com:443?transport=udp")
        #expect(try TURNURI("turn:[::1]").description == "turn:[::1]:3478")
        #expect(try TURNURI("turn:[::1]").ipAddress == .loopbackV6)
        #expect(try TURNURI("turn:localhost").ipAddress == nil)
    }

    @Test(arguments: [
        ("stun:relay.example.com", TURNURIError.unsupportedScheme("stun")),
        ("https://relay.example.com", .unsupportedScheme("https")),
        ("turn:", .invalidHost("")),
        ("turn::3478", .invalidHost(":3478")),
        ("turn:user@relay.example.com", .credentialsInURI),
        ("turn:relay.example.com:0", .invalidPort("0")),
        ("turn:relay.example.com:70000", .invalidPort("70000")),
        ("turn:relay.example.com:abc", .invalidPort("***")),
        ("turn:relay.example.com?transport=sctp", .unsupportedTransport("sctp")),
        ("turn:relay.example.com?foo=bar", .unsupportedQuery("foo=***")),
        ("turn:[::1", .invalidHost("[::1")),
        ("turn:[relay]:3478", .invalidHost("relay")),
        ("turn:::1", .invalidHost(":***")),
    ])
    func rejects(text: String, error: TURNURIError) {
        #expect(throws: error) { try TURNURI(text) }
    }

    /// A password written into a URI, where RFC 7065 has no place for one, is never echoed:
    /// errors reach terminals, CI logs and bug reports.
    @Test(arguments: [
        "turn:alice:S3cr3tPass@relay.example.com",
        "turns:alice:S3cr3tPass@relay.example.com:443?transport=tcp",
        "turn:alice:S3cr?tPass@relay.example.com",
        "turn:alice:S3cr@tPass@relay.example.com",
        "turn:relay.example.com?transport=tcp&password=S3cr3tPass",
        "turn:relay.example.com?password=S3cr3tPass",
        "turn:relay.example.com?transport=S3cr3tPass1234",
        "turn:alice:S3cr3tPass",
        "turn:alice:S3cr3tPass:x",
        "turn:[::1]:S3cr3tPass",
        "S3cr3tPass",
    ])
    func errorsNeverShowAPassword(text: String) {
        #expect {
            try TURNURI(text)
        } throws: { error in
            !"\(error)".contains("S3cr") && !TURNURI.redacted(text).contains("S3cr")
        }
    }

    @Test func userInfoIsRefusedWithWhatToDo() {
        #expect("\(TURNURIError.credentialsInURI)".contains("credentials do not belong in the URI"))
    }

    @Test(arguments: [
        ("turn:alice:pw@relay.example.com:3478?transport=tcp", "turn:***@relay.example.com:3478?transport=tcp"),
        ("turn:relay.example.com?transport=tcp&password=pw", "turn:relay.example.com?transport=tcp&password=***"),
        ("turn:relay.example.com?pw", "turn:relay.example.com?***"),
        ("turn:relay.example.com:3478", "turn:relay.example.com:3478"),
        ("pw", "***"),
    ])
    func redactsUserInfoAndQueryValues(text: String, shown: String) {
        #expect(TURNURI.redacted(text) == shown)
    }
}
