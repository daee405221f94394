import NIOCore

extension EventLoopFuture {
    /// Where the future stands now, without waiting: nil while pending. On its event loop
    /// only, as an embedded channel's test is.
    public var settled: Result<Value, Error>? {
        var result: Result<Value, Error>?
        assumeIsolated().whenComplete { result = $0 }
        return result
    }
}
