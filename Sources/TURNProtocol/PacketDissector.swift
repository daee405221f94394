import NIOCore

/// A readable account of one packet, line by line, for `turnload decode` and for logs: what
/// the first byte says it is, then its fields. Never throws; what cannot be parsed is said.
public enum PacketDissector {
    public static func describe(_ bytes: ByteBuffer) -> [String] {
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return ["empty packet"] }
        switch PacketKind(firstByte: first) {
        case .stun:
            return describeSTUN(bytes)
        case .channelData:
            do {
                let frame = try ChannelData(datagram: bytes)
                return ["ChannelData channel \(frame.channel), \(frame.payload.readableBytes) bytes"]
                    + describePayload(frame.payload).map { "  " + $0 }
            } catch {
                return ["malformed ChannelData: \(error)"]
            }
        case .rtpOrRTCP:
            do { return [try describeRTP(bytes)] } catch { return ["malformed RTP: \(error)"] }
        case let kind:
            return ["\(kind) packet, \(bytes.readableBytes) bytes (not decoded)"]
        }
    }

    private static func describeSTUN(_ bytes: ByteBuffer) -> [String] {
        let message: STUNMessage
        do { message = try STUNMessage(datagram: bytes) } catch { return ["malformed STUN: \(error)"] }
        var lines = ["STUN \(message.type), transaction \(message.transactionID), \(bytes.readableBytes) bytes"]
        for attribute in message.attributes {
            lines.append("  \(attribute.type): \(describeValue(of: attribute, in: message))")
        }
        if message.attribute(.fingerprint) != nil {
            do {
                try STUNFingerprint.verify(bytes)
                lines.append("  fingerprint valid")
            } catch {
                lines.append("  fingerprint INVALID: \(error)")
            }
        }
        return lines
    }

    private static func describeValue(of attribute: STUNAttribute, in message: STUNMessage) -> String {
        do {
            switch attribute.type {
            case .username, .realm, .nonce, .software, .alternateDomain:
                return try message.text(attribute.type).map { "\"\($0)\"" } ?? ""
            case .mappedAddress, .xorMappedAddress, .xorPeerAddress, .xorRelayedAddress, .alternateServer:
                return try message.address(attribute.type)?.description ?? ""
            case .errorCode: return try message.errorCode?.description ?? ""
            case .lifetime: return try message.lifetime.map { "\($0) s" } ?? ""
            case .channelNumber: return try message.channelNumber?.description ?? ""
            case .requestedTransport: return try message.requestedTransport.map { $0 == 17 ? "UDP" : "protocol \($0)" } ?? ""
            case .requestedAddressFamily, .additionalAddressFamily:
                return try
                    (attribute.type == .requestedAddressFamily
                    ? message.requestedAddressFamily : message.additionalAddressFamily).map { "\($0)" } ?? ""
            case .unknownAttributes: return try message.unknownAttributes?.map(\.description).joined(separator: ", ") ?? ""
            case .passwordAlgorithms: return try message.passwordAlgorithms?.map(describeAlgorithm).joined(separator: ", ") ?? ""
            case .passwordAlgorithm: return try message.passwordAlgorithm.map(describeAlgorithm) ?? ""
            case .userhash: return try message.userhash.map(hexString) ?? ""
            case .addressErrorCode: return try message.addressErrorCode.map { "\($0.family): \($0.error)" } ?? ""
            case .icmp: return try message.icmp.map { "type \($0.type) code \($0.code) data \($0.errorData)" } ?? ""
            case .evenPort: return try message.evenPortReservesNext.map { $0 ? "reserve next port" : "even port" } ?? ""
            case .reservationToken: return try message.reservationToken.map { hex($0, digits: 16) } ?? ""
            case .dontFragment: return try message.dontFragment ? "set" : ""
            case .data: return "\(attribute.value.readableBytes) bytes"
            default: return hexString(attribute.value.readableBytesView)
            }
        } catch {
            return "malformed (\(error))"
        }
    }

    private static func describeAlgorithm(_ number: UInt16) -> String {
        switch PasswordAlgorithm(rawValue: number) {
        case .md5: "MD5"
        case .sha256: "SHA-256"
        case nil: "algorithm \(number)"
        }
    }

    private static func describePayload(_ payload: ByteBuffer) -> [String] {
        guard let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self),
            PacketKind(firstByte: first) == .rtpOrRTCP
        else { return [] }
        // A ChannelData frame is well formed whatever it carries.
        do { return [try describeRTP(payload)] } catch { return ["not RTP: \(error)"] }
    }

    private static func describeRTP(_ bytes: ByteBuffer) throws -> String {
        let packet = try RTPPacket(bytes: bytes)
        let header = packet.header
        return "RTP pt \(header.payloadType) seq \(header.sequenceNumber) ts \(header.timestamp) "
            + "ssrc 0x\(hex(header.ssrc, digits: 8))\(header.marker ? " marker" : ""), "
            + "\(packet.payload.readableBytes) payload bytes"
    }
}
