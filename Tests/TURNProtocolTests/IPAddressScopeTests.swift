import Testing
import TURNProtocol

@Suite("address scopes")
struct IPAddressScopeTests {
    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
        ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"), ("192.168.1.1", "private"),
        ("100.64.0.1", "private"), ("fd00::1", "private"), ("fc00::1", "private"),
        ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"), ("239.1.1.1", "multicast"), ("ff02::1", "multicast"),
        ("192.0.2.1", "public"), ("172.32.0.1", "public"), ("100.128.0.1", "public"), ("8.8.8.8", "public"),
        ("2001:db8::1", "public"),
    ])
    func classifies(text: String, scope: String) throws {
        let address = try #require(IPAddress(text))
        let scopes = [
            ("loopback", address.isLoopback), ("unspecified", address.isUnspecified), ("private", address.isPrivate),
            ("link-local", address.isLinkLocal), ("multicast", address.isMulticast),
        ].filter(\.1).map(\.0)
        #expect(scopes == (scope == "public" ? [] : [scope]))
    }
}
