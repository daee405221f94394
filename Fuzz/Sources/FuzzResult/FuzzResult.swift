import Foundation
import LibFuzzerDriver
import Reporting

/// Any bytes as a result file, read the way `compare`, `merge`, `gate` and `report` read one:
/// `LoadedResult.load` of a `result.json`, or of a `saturation.json` when the first byte is odd
/// (its steps' folders are missing, as a saturation copied without them has). A file either
/// loads or is refused with a `ResultFileError`; nothing in it may trap. What loads must write
/// out again (as `merge` does) and read back to the same figures.
public func fuzzResult(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let saturation = data[0] & 1 == 1
    let file = folder.appendingPathComponent(saturation ? "saturation.json" : "result.json")
    let bytes = Data(bytes: data + 1, count: size - 1)
    guard (try? bytes.write(to: file)) != nil else { fatalError("cannot write \(file.path)") }
    defer { try? FileManager.default.removeItem(at: file) }
    guard let loaded = try? LoadedResult.load(file.path) else { return 0 }
    precondition(loaded.count == 1, "one file loaded as \(loaded.count) results")
    if case .run(let result) = loaded[0].content {
        guard let encoded = try? ResultWriter.encode(result) else { return 0 }
        guard let again = try? ResultWriter.decode(encoded) else {
            fatalError("a loaded result, written out again, does not read back")
        }
        precondition(again.target == result.target && again.schemaVersion == result.schemaVersion,
                     "a loaded result reads back different")
    }
    return 0
}

/// One folder per process, so that runs side by side (or `-jobs`) do not share files.
private let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-result-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

@_cdecl("FuzzResult_main")
public func fuzzResultMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzResult)
}
