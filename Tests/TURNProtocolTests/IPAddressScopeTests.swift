import TURNProtocol
import Testing

@Suite("address scopes")
struct IPAddressScopeTests {
    @Test(arguments: [
        ("127.0.0.1", ["loopback"]), ("127.255.0.9", ["loopback"]), ("::1", ["loopback"]),
        ("0.0.0.0", ["unspecified", "reserved"]), ("::", ["unspecified"]),
        ("10.1.2.3", ["private"]), ("172.16.0.1", ["private"]), ("172.31.255.255", ["private"]), ("192.168.1.1", ["private"]),
        ("100.64.0.1", ["private"]), ("fd00::1", ["private"]), ("fc00::1", ["private"]),
        ("169.254.1.1", ["link-local"]), ("fe80::1", ["link-local"]),
        ("224.0.0.1", ["multicast"]), ("239.1.1.1", ["multicast"]), ("ff02::1", ["multicast"]),
        ("0.1.2.3", ["reserved"]), ("240.0.0.1", ["reserved"]), ("255.255.255.255", ["reserved"]),
        ("192.0.0.9", ["special"]), ("192.0.2.1", ["special"]), ("198.51.100.7", ["special"]), ("203.0.113.250", ["special"]),
        ("198.18.0.1", ["special"]), ("198.19.255.255", ["special"]), ("192.88.99.1", ["special"]),
        ("2001:db8::1", ["special"]), ("3fff:fff::1", ["special"]), ("2001::1", ["special"]), ("2001:1ff::1", ["special"]),
        ("100::1", ["special"]), ("64:ff9b:1::a00:1", ["special"]),
        ("172.32.0.1", []), ("100.128.0.1", []), ("8.8.8.8", []), ("198.20.0.1", []), ("223.255.255.255", []),
        ("192.0.1.1", []), ("2001:200::1", []), ("2001:db9::1", []), ("2a00:1450::1", []), ("100:0:0:1::1", []),
    ])
    func classifies(text: String, scopes expected: [String]) throws {
        let address = try #require(IPAddress(text))
        let scopes = [
            ("loopback", address.isLoopback), ("unspecified", address.isUnspecified), ("private", address.isPrivate),
            ("link-local", address.isLinkLocal), ("multicast", address.isMulticast), ("reserved", address.isReserved),
            ("special", address.isSpecialPurpose),
        ].filter(\.1).map(\.0)
        #expect(scopes == expected)
    }

    @Test(arguments: [
        ("::ffff:127.0.0.1", "127.0.0.1"), ("::ffff:10.0.0.1", "10.0.0.1"), ("::ffff:0:8.8.8.8", "8.8.8.8"),
        ("::192.168.0.1", "192.168.0.1"), ("::2", "0.0.0.2"),
        ("64:ff9b::10.0.0.1", "10.0.0.1"), ("64:ff9b::7f00:1", "127.0.0.1"),
        ("2002:a00:1::", "10.0.0.1"), ("2002:7f00:1:99::5", "127.0.0.1"), ("2002:808:808::1", "8.8.8.8"),
    ])
    func findsTheIPv4AddressInside(text: String, inside: String) throws {
        #expect(try #require(IPAddress(text)).embeddedIPv4 == IPAddress(inside))
    }

    @Test(arguments: ["::", "::1", "10.0.0.1", "fe80::ffff:a00:1", "64:ff9b:0:1::a00:1", "2003:a00:1::", "::1:ffff:a00:1"])
    func findsNoIPv4AddressInside(text: String) throws {
        #expect(try #require(IPAddress(text)).embeddedIPv4 == nil)
    }
}
