import LibFuzzerDriver
import NIOCore
import TURNProtocol

/// Any datagram: the STUN parser and, through the dissector, every attribute reader; integrity
/// and fingerprint checks; the ChannelData and RTP parsers. A message that parses must
/// re-encode to one that parses equal.
public func fuzzSTUN(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    _ = PacketDissector.describe(buffer)
    _ = try? STUNIntegrity(key: STUNKey(bytes: [0x6B])).verify(buffer)
    _ = try? RTPPacket(bytes: buffer).header.headerExtension?.elements()
    guard let message = try? STUNMessage(datagram: buffer) else { return 0 }
    guard let reparsed = try? STUNMessage(datagram: message.encoded()), reparsed == message else {
        fatalError("re-encoded message does not parse back equal: \(message)")
    }
    return 0
}

@_cdecl("FuzzSTUN_main")
public func fuzzSTUNMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzSTUN)
}
