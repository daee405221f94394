/// A load measured on a shared machine can find turnload itself behind: a stalled thread or a
/// noisy neighbour makes its sends late, and the run says so ("harness-bound", exit 2). Such a
/// run proves nothing about the relay either way, so a test measures again, up to `attempts`
/// times, and judges the last attempt: a harness that never keeps up still fails the test.
/// `discard` cleans up after each attempt set aside.
public func measureUntilHarnessKeepsUp<Measured>(attempts: Int = 3, _ measure: () async throws -> Measured,
                                                 harnessBehind: (Measured) -> Bool,
                                                 discard: (Measured) -> Void = { _ in }) async throws -> Measured {
    var measured = try await measure()
    for _ in 1..<attempts where harnessBehind(measured) {
        discard(measured)
        measured = try await measure()
    }
    return measured
}
