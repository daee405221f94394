#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of standard input, each at most `limit` bytes: `readLine()` holds a whole line
/// however long it is, so a stream without newlines would grow without bound.
struct BoundedLines: Sequence, IteratorProtocol {
    enum Line {
        case text(String)
        /// A line went past the limit; reading stops there.
        case tooLong
    }

    let limit: Int
    /// Read but not yet returned: the bytes from `start` on.
    private var pending: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var finished = false

    init(limit: Int) {
        self.limit = limit
    }

    mutating func next() -> Line? {
        while !finished {
            if let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                guard newline - start <= limit else { return stop() }
                let line = String(decoding: pending[start..<newline], as: UTF8.self)
                start = newline + 1
                return .text(line)
            }
            if pending.count - start > limit { return stop() }
            pending.removeFirst(start)
            start = 0
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                finished = true
                return pending.isEmpty ? nil : .text(String(decoding: pending, as: UTF8.self))
            }
            pending += chunk[..<count]
        }
        return nil
    }

    private mutating func stop() -> Line {
        finished = true
        pending = []
        start = 0
        return .tooLong
    }
}
