import NIOCore

/// An RTP header extension (RFC 3550 §5.3.1): a 16-bit profile and data in whole 32-bit words.
/// RFC 8285 structures the data as elements, in a one-byte or a two-byte form.
public struct RTPHeaderExtension: Hashable, Sendable {
    public var profile: UInt16
    public var data: ByteBuffer

    public init(profile: UInt16, data: ByteBuffer) {
        self.profile = profile
        self.data = data
    }

    public static let oneByteProfile: UInt16 = 0xBEDE
    /// The two-byte form's profile is 0x100 in the top 12 bits and 4 application bits.
    public static let twoByteProfileBase: UInt16 = 0x1000

    /// Builds the one-byte form (RFC 8285 §4.2): ids 1–14, 1 to 16 bytes each.
    public static func oneByte(_ elements: [RTPExtensionElement]) throws(RTPParseError) -> RTPHeaderExtension {
        var data = ByteBuffer()
        for element in elements {
            guard (1...14).contains(element.id) else { throw .invalidExtensionElement("one-byte id \(element.id) not in 1-14") }
            guard (1...16).contains(element.data.count) else {
                throw .invalidExtensionElement("one-byte element of \(element.data.count) bytes, 1-16 allowed")
            }
            data.writeInteger(element.id << 4 | UInt8(element.data.count - 1))
            data.writeBytes(element.data)
        }
        data.writeRepeatingByte(0, count: paddedLength(data.readableBytes) - data.readableBytes)
        return RTPHeaderExtension(profile: oneByteProfile, data: data)
    }

    /// Builds the two-byte form (RFC 8285 §4.3): ids 1–255, 0 to 255 bytes each.
    public static func twoByte(
        _ elements: [RTPExtensionElement], appBits: UInt8 = 0
    ) throws(RTPParseError) -> RTPHeaderExtension {
        var data = ByteBuffer()
        for element in elements {
            guard element.id != 0 else { throw .invalidExtensionElement("two-byte id 0 is padding") }
            guard element.data.count <= 255 else {
                throw .invalidExtensionElement("two-byte element of \(element.data.count) bytes, 255 allowed")
            }
            data.writeInteger(element.id)
            data.writeInteger(UInt8(element.data.count))
            data.writeBytes(element.data)
        }
        data.writeRepeatingByte(0, count: paddedLength(data.readableBytes) - data.readableBytes)
        return RTPHeaderExtension(profile: twoByteProfileBase | UInt16(appBits & 0x0F), data: data)
    }

    /// The RFC 8285 elements, or nil when the profile is neither form.
    public func elements() throws(RTPParseError) -> [RTPExtensionElement]? {
        var data = self.data
        var elements: [RTPExtensionElement] = []
        if profile == Self.oneByteProfile {
            while let byte = data.readInteger(as: UInt8.self) {
                if byte == 0 { continue }
                let id = byte >> 4
                // Id 15 is reserved: RFC 8285 §4.2 says to stop processing there.
                if id == 15 { break }
                let length = Int(byte & 0x0F) + 1
                guard let bytes = data.readBytes(length: length) else {
                    throw .invalidExtensionElement("element \(id) of \(length) bytes overruns the extension")
                }
                elements.append(RTPExtensionElement(id: id, data: bytes))
            }
        } else if profile & 0xFFF0 == Self.twoByteProfileBase {
            while let id = data.readInteger(as: UInt8.self) {
                if id == 0 { continue }
                guard let length = data.readInteger(as: UInt8.self), let bytes = data.readBytes(length: Int(length)) else {
                    throw .invalidExtensionElement("element \(id) overruns the extension")
                }
                elements.append(RTPExtensionElement(id: id, data: bytes))
            }
        } else {
            return nil
        }
        return elements
    }
}

/// One RFC 8285 header extension element.
public struct RTPExtensionElement: Hashable, Sendable {
    public var id: UInt8
    public var data: [UInt8]

    public init(id: UInt8, data: [UInt8]) {
        self.id = id
        self.data = data
    }
}
