import ArgumentParser
import Campaign
import NIOCore
import TURNProtocol

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode STUN, TURN ChannelData and RTP packets given in hexadecimal.",
        discussion: """
            Each argument is one packet (spaces and colons between bytes are allowed); `-` reads \
            one packet per line from standard input, as tshark prints them. Exit status 1 when \
            any packet is not hexadecimal or is malformed.

            Examples:
              turnload decode 4000000c800000010001000200030004...
              tshark -r turn.pcap -T fields -e udp.payload | turnload decode -
            """
    )

    /// The longest line read: a 64 KiB packet (more than a UDP datagram holds) in hex with a
    /// separator between bytes.
    static let longestLine = 3 * 64 * 1024

    @Argument(help: "Packets in hexadecimal, or - to read one per line from standard input.")
    var packets: [String]

    func validate() throws {
        guard !packets.isEmpty else { throw ValidationError("give at least one packet in hexadecimal, or - for standard input") }
    }

    func run() throws {
        let numbered = packets.count > 1 || packets.contains("-")
        var failures = 0
        var index = 0
        func decode(_ text: String) {
            guard !text.allSatisfy(\.isWhitespace) else { return }
            index += 1
            if numbered { print("#\(index)") }
            guard let bytes = bytes(fromHex: text) else {
                printError("packet \(index) is not hexadecimal: \(text.prefix(40))")
                failures += 1
                return
            }
            let report = PacketDissector.describe(ByteBuffer(bytes: bytes))
            report.forEach { print($0) }
            if report.first?.hasPrefix("malformed") == true { failures += 1 }
        }
        reading: for packet in packets {
            guard packet == "-" else {
                decode(packet)
                continue
            }
            for line in BoundedLines(limit: Self.longestLine) {
                guard case let .text(text) = line else {
                    printError(
                        "packet \(index + 1) of standard input is longer than \(Self.longestLine) characters "
                            + "without a newline: give one packet (at most 64 KiB) in hexadecimal a line")
                    failures += 1
                    break reading
                }
                decode(text)
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
