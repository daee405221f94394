import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A results file or folder that could not be written, with the system's reason.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot write \(path): \(reason)" }

    init(_ path: String, _ error: Error) {
        self.path = path
        reason = Self.reason(error)
    }

    /// The POSIX reason ("No space left on device") rather than Foundation's wrapping of it.
    private static func reason(_ error: Error) -> String {
        let error = error as NSError
        for candidate in [error, error.userInfo[NSUnderlyingErrorKey] as? NSError].compactMap({ $0 })
        where candidate.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(candidate.code)))
        }
        return error.localizedDescription
    }
}

/// Every results file goes through here: written whole to a temporary file, then renamed over
/// the name, so that a full disk or a killed process never leaves a truncated result that a
/// later `gate` or `merge` would read as a real one.
public enum OutputFile {
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch { throw WriteError(path, error) }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes what `contents` renders; a rendering that fails is this file's failure too.
    public static func write(to path: String, _ contents: () throws -> Data) throws(WriteError) {
        let data: Data
        do { data = try contents() } catch { throw WriteError(path, error) }
        try write(data, to: path)
    }

    public static func createFolder(_ folder: String) throws(WriteError) {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw WriteError(folder, error)
        }
    }

    /// Before a load starts: the folder can be made and written to, so that a long run does not
    /// end with results it cannot keep.
    public static func checkWritable(folder: String) throws(WriteError) {
        try createFolder(folder)
        let probe = (folder as NSString).appendingPathComponent(".turnload-write-check")
        try write(Data("turnload".utf8), to: probe)
        try? FileManager.default.removeItem(atPath: probe)
    }
}
