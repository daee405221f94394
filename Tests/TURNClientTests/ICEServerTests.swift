import Foundation
import TURNClient
import TURNProtocol
import Testing

@Suite("iceServers JSON")
struct ICEServerTests {
    /// Cloudflare's credential API answers with one server object under "iceServers".
    @Test func cloudflareShape() throws {
        let json = """
            {"iceServers": {"urls": ["stun:stun.cloudflare.com:3478", "turn:turn.cloudflare.com:3478?transport=udp",
             "turn:turn.cloudflare.com:3478?transport=tcp", "turns:turn.cloudflare.com:5349?transport=tcp"],
             "username": "bc91b63e2b5d759f8eb9f3b58062439e0a0e15893d76317d833265ad08d6631099ce7c7087caabb31ad3e1c386424e3e",
             "credential": "ebd71f1d3edbc2b0edae3cd5a6d82284aeb5c3b8fdaa9b8e3bf9cec683e0d45fe9f5b44e5145db3300f06c250a15b4a0"}}
            """
        let servers = try ICEServer.parse(json: Data(json.utf8))
        #expect(servers.count == 1)
        #expect(servers[0].uris.map(\.transport) == [.udp, .tcp, .tls])
        #expect(servers[0].username?.hasPrefix("bc91") == true)
        #expect(!servers[0].description.contains("ebd71f"))
    }

    @Test func listShape() throws {
        let json = """
            [{"urls": "turn:192.0.2.1:3478", "username": "1700000000:alice", "credential": "x"},
             {"urls": ["turns:relay.example.com:443?transport=udp"], "username": "u", "credential": "y"}]
            """
        let servers = try ICEServer.parse(json: Data(json.utf8))
        #expect(servers.map(\.uris.first?.description) == ["turn:192.0.2.1:3478", "turns:relay.example.com:443?transport=udp"])
        #expect(servers[1].uris[0].transport == .dtls)
    }

    @Test(arguments: [
        "not json", "{}", "[1]", #"[{"username": "u"}]"#, #"[{"urls": "stun:x"}]"#,
        #"[{"urls": "turn:[::1"}]"#,
    ])
    func rejects(json: String) {
        #expect(throws: ICEServersError.self) { try ICEServer.parse(json: Data(json.utf8)) }
    }
}
