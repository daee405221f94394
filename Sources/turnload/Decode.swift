import ArgumentParser
import NIOCore
import TURNProtocol

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode STUN, TURN ChannelData and RTP packets given in hexadecimal.",
        discussion: """
            Each argument is one packet (spaces and colons between bytes are allowed); `-` reads \
            one packet per line from standard input, as tshark prints them.

            Examples:
              turnload decode 4000000c800000010001000200030004...
              tshark -r turn.pcap -T fields -e udp.payload | turnload decode -
            """
    )

    @Argument(help: "Packets in hexadecimal, or - to read one per line from standard input.")
    var packets: [String]

    func validate() throws {
        guard !packets.isEmpty else { throw ValidationError("give at least one packet in hexadecimal, or - for standard input") }
    }

    func run() throws {
        var lines = packets.flatMap { $0 == "-" ? Array(AnyIterator { readLine() }) : [$0] }
        lines.removeAll { $0.allSatisfy(\.isWhitespace) }
        var failures = 0
        for (index, text) in lines.enumerated() {
            if lines.count > 1 { print("#\(index + 1)") }
            guard let bytes = bytes(fromHex: text) else {
                printError("packet \(index + 1) is not hexadecimal: \(text.prefix(40))")
                failures += 1
                continue
            }
            let report = PacketDissector.describe(ByteBuffer(bytes: bytes))
            report.forEach { print($0) }
            if report.first?.hasPrefix("malformed") == true { failures += 1 }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

