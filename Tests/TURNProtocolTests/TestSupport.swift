import Foundation
import NIOCore
import TURNProtocol
import Testing

/// Bytes from hex text in a test, where bad hex is the test's own bug.
func hexBuffer(_ text: String) -> ByteBuffer {
    ByteBuffer(bytes: bytes(fromHex: text)!)
}

/// A file of Tests/TURNProtocolTests/Captures, as bytes.
func capture(_ name: String) throws -> ByteBuffer {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "hex", subdirectory: "Captures"))
    let text = try String(contentsOf: url, encoding: .utf8)
    return hexBuffer(text.trimmingCharacters(in: .whitespacesAndNewlines))
}

extension ByteBuffer {
    var hex: String { hexString(readableBytesView) }
}
