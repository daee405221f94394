import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A results file or folder that could not be written, with the system's reason.
public struct WriteError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot write \(path): \(reason)" }

    init(_ path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The system's own words for `errno`: "No space left on device", "File too large".
    init(_ path: String, errno code: Int32) {
        self.init(path, reason: String(cString: strerror(code)))
    }
}

/// Every results file goes through here: written whole to a temporary file, then renamed over
/// the name, so that a full disk or a killed process never leaves a truncated result that a
/// later `gate` or `merge` would read as a real one.
public enum OutputFile {
    /// Written with POSIX calls rather than Foundation's, whose errors on Linux lose the
    /// system's reason ("The operation could not be completed").
    public static func write(_ data: Data, to path: String) throws(WriteError) {
        let temporary = "\(path).\(getpid()).partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path, errno: errno) }
        var failure: Int32?
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count, failure == nil {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0, errno != EINTR { failure = errno } else if written > 0 { offset += written }
            }
        }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw WriteError(path, errno: failure)
        }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes what `contents` renders; a rendering that fails is this file's failure too.
    public static func write(to path: String, _ contents: () throws -> Data) throws(WriteError) {
        let data: Data
        do { data = try contents() } catch { throw WriteError(path, reason: "\(error)") }
        try write(data, to: path)
    }

    /// `mkdir -p`.
    public static func createFolder(_ folder: String) throws(WriteError) {
        var path = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            path += "/\(component)"
            if mkdir(path, 0o755) != 0, errno != EEXIST { throw WriteError(folder, errno: errno) }
        }
        var status = stat()
        guard stat(folder, &status) == 0 else { throw WriteError(folder, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw WriteError(folder, errno: ENOTDIR) }
    }

    /// Before a load starts: the folder can be made and written to, so that a long run does not
    /// end with results it cannot keep.
    public static func checkWritable(folder: String) throws(WriteError) {
        try createFolder(folder)
        let probe = "\(folder)/.turnload-write-check"
        try write(Data("turnload".utf8), to: probe)
        unlink(probe)
    }
}
