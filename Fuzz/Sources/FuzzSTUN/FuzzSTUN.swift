import NIOCore
import TURNProtocol

/// Any datagram: the STUN parser, every attribute reader, integrity and fingerprint checks, the
/// ChannelData and RTP parsers. A message that parses must re-encode to one that parses equal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSTUN(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))
    _ = try? STUNIntegrity(key: STUNKey(bytes: [0x6B])).verify(buffer)
    _ = try? STUNFingerprint.verify(buffer)
    _ = try? ChannelData(datagram: buffer)
    _ = try? RTPPacket(bytes: buffer).header.headerExtension?.elements()
    _ = PacketDissector.describe(buffer)
    guard let message = try? STUNMessage(datagram: buffer) else { return 0 }
    for attribute in message.attributes {
        _ = try? message.address(attribute.type)
        _ = try? message.text(attribute.type)
    }
    _ = try? message.errorCode
    _ = try? message.unknownAttributes
    _ = try? message.passwordAlgorithms
    _ = try? message.passwordAlgorithm
    _ = try? message.userhash
    _ = try? message.channelNumber
    _ = try? message.lifetime
    _ = try? message.addressErrorCode
    _ = try? message.icmp
    _ = try? message.evenPortReservesNext
    _ = try? message.reservationToken
    _ = try? message.requestedAddressFamily
    let reencoded = message.encoded()
    guard let reparsed = try? STUNMessage(datagram: reencoded), reparsed == message else {
        fatalError("re-encoded message does not parse back equal: \(message)")
    }
    return 0
}

/// SwiftPM links an executable's entry point as `<target>_main`; hand control to libFuzzer there.
@_cdecl("FuzzSTUN_main")
public func fuzzSTUNMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzSTUN)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
