import LibFuzzerDriver
import NIOCore
import TURNProtocol

/// A byte stream: the first byte picks the read size, the rest is fed in pieces of that size.
/// Frames must come out the same whatever the read size, and never more bytes than went in.
public func fuzzDeframer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let chunk = Int(data[0]) + 1
    let stream = ByteBuffer(bytes: UnsafeBufferPointer(start: data + 1, count: size - 1))
    let inPieces = deframe(stream, chunk: chunk)
    let atOnce = deframe(stream, chunk: stream.readableBytes)
    guard inPieces == atOnce else { fatalError("frames depend on read boundaries (chunk \(chunk))") }
    return 0
}

private struct Outcome: Equatable {
    var frames: [TURNFrame] = []
    var failed = false
}

private func deframe(_ stream: ByteBuffer, chunk: Int) -> Outcome {
    var deframer = TURNStreamDeframer()
    var outcome = Outcome()
    var rest = stream
    var frameBytes = 0
    while rest.readableBytes > 0, !outcome.failed {
        deframer.append(rest.readSlice(length: min(chunk, rest.readableBytes))!)
        do {
            while let frame = try deframer.next() {
                switch frame {
                case .stun(let bytes):
                    frameBytes += bytes.readableBytes
                    _ = try? STUNMessage(datagram: bytes)
                case .channelData(let channelData):
                    frameBytes += 4 + channelData.payload.readableBytes
                }
                outcome.frames.append(frame)
            }
        } catch {
            outcome.failed = true
        }
    }
    precondition(frameBytes <= stream.readableBytes, "deframer returned more bytes than it was given")
    return outcome
}

@_cdecl("FuzzDeframer_main")
public func fuzzDeframerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzDeframer)
}
