import TURNProtocol
import Testing

@Suite("TURN REST credentials")
struct RESTCredentialTests {
    /// Expected values from OpenSSL: `printf 1700000000:alice | openssl dgst -sha1 -hmac north-wind -binary | base64`.
    @Test func matchesOpenSSL() {
        let credential = RESTCredential(secret: Array("north-wind".utf8), user: "alice", expiry: 1_700_000_000)
        #expect(credential.username == "1700000000:alice")
        #expect(credential.password == "Oko4dt8u/EbTRjRUJWQDFm/zTCc=")
    }

    @Test func ttlAndBareTimestamp() {
        let credential = RESTCredential(secret: Array("s".utf8), user: nil, now: 1_000, ttl: 300)
        #expect(credential.username == "1300")
        #expect(credential.expiry == 1300)
    }

    @Test func descriptionsHideSecrets() throws {
        let credential = RESTCredential(secret: Array("north-wind".utf8), user: "alice", expiry: 1_700_000_000)
        #expect(!"\(credential)".contains(credential.password))
        let key = try STUNKey.longTerm(username: "alice", realm: "r", password: "wonderland")
        #expect("\(key)" == "STUNKey(<redacted>)")
    }
}
