import Foundation
import Testing

/// The `turnload` binary end to end: exit codes, messages, and which stream they go to.
@Suite("turnload command line")
struct CLITests {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs the binary built beside this test bundle, feeding `input` to its standard input.
    func turnload(_ arguments: String..., input: String = "") throws -> Outcome {
        let productsDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("turnload")
        process.arguments = arguments
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self))
    }

    @Test func version() throws {
        let outcome = try turnload("--version")
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func helpListsSubcommandsAndExamples() throws {
        let outcome = try turnload("--help")
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("SUBCOMMANDS:"))
        #expect(outcome.standardOutput.contains("decode"))
        #expect(outcome.standardOutput.contains("Examples:"))
    }

    @Test func decodesRFC5769Response() throws {
        let vector =
            "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147"
            + "e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96"
        let outcome = try turnload("decode", vector)
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("STUN Binding success response, transaction b7e7a701bc34d686fa87dfae"))
        #expect(outcome.standardOutput.contains("XOR-MAPPED-ADDRESS: 192.0.2.1:32853"))
        #expect(outcome.standardOutput.contains("fingerprint valid"))
    }

    @Test func decodesFromStandardInput() throws {
        let outcome = try turnload("decode", "-", input: "40000004deadbeef\n\n000100002112a442000000000000000000000000\n")
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.contains("ChannelData channel 0x4000, 4 bytes"))
        #expect(outcome.standardOutput.contains("STUN Binding request"))
    }

    @Test func badInputExitsNonZeroWithReason() throws {
        let notHex = try turnload("decode", "xyz")
        #expect(notHex.status == 1)
        #expect(notHex.standardError.contains("not hexadecimal"))

        let truncated = try turnload("decode", "0001000c2112a442")
        #expect(truncated.status == 1)
        #expect(truncated.standardOutput.contains("truncated STUN header"))

        let nothing = try turnload("decode")
        #expect(nothing.status != 0)
        #expect(nothing.standardError.contains("at least one packet") || nothing.standardError.contains("Missing"))

        let unknown = try turnload("frobnicate")
        #expect(unknown.status != 0)
        #expect(!unknown.standardError.isEmpty)
    }
}
