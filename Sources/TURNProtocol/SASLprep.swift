import Foundation

/// SASLprep (RFC 4013), the profile RFC 5389 prepares names and passwords with; RFC 8489's
/// OpaqueString (RFC 8265) gives the same result for the strings real deployments use.
///
/// Mapping and NFKC normalisation are complete; of the prohibited output, the classes that
/// occur in practice are refused (controls, private use, non-characters, surrogates,
/// change-display-direction and tagging characters). The bidirectional check and the refusal
/// of unassigned code points are left out: neither changes the key of any accepted string.
public enum SASLprep {
    public static func prepare(_ text: String) throws(SASLprepError) -> String {
        // ASCII printable text is its own preparation, and is what almost every username is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var mapped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if mapsToNothing(scalar.value) { continue }
            mapped.append(isNonASCIISpace(scalar.value) ? " " : scalar)
        }
        let normalized = String(mapped).precomposedStringWithCompatibilityMapping
        for scalar in normalized.unicodeScalars where isProhibited(scalar.value) {
            throw .prohibitedCharacter(scalar.value)
        }
        return normalized
    }

    /// RFC 3454 table B.1.
    static func mapsToNothing(_ v: UInt32) -> Bool {
        switch v {
        case 0x00AD, 0x034F, 0x1806, 0x180B...0x180D, 0x200B...0x200D, 0x2060, 0xFE00...0xFE0F, 0xFEFF: true
        default: false
        }
    }

    /// RFC 3454 table C.1.2.
    static func isNonASCIISpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x00A0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// RFC 3454 tables C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9.
    static func isProhibited(_ v: UInt32) -> Bool {
        switch v {
        case 0x0000...0x001F, 0x007F, 0x0080...0x009F, 0x06DD, 0x070F, 0x180E, 0x200C, 0x200D,
            0x2028, 0x2029, 0x2060...0x2063, 0x206A...0x206F, 0xFEFF, 0xFFF9...0xFFFD, 0x1D173...0x1D17A,
            0xE000...0xF8FF, 0xF0000...0xFFFFD, 0x100000...0x10FFFD, 0xFDD0...0xFDEF, 0xD800...0xDFFF,
            0x2FF0...0x2FFB, 0x0340, 0x0341, 0x200E, 0x200F, 0x202A...0x202E, 0xE0001, 0xE0020...0xE007F:
            true
        default:
            v & 0xFFFE == 0xFFFE
        }
    }
}

public enum SASLprepError: Error, Hashable, Sendable {
    case prohibitedCharacter(UInt32)
}

extension SASLprepError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .prohibitedCharacter(let scalar): "prohibited character U+\(hex(scalar, digits: 4)) in a name or password"
        }
    }
}
