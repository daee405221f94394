/// Measures up to `attempts` times while `again` says the last measurement proves nothing, and
/// returns the last one: the test judges it, so a cause that persists still fails the test.
/// `discard` cleans up after each measurement set aside.
///
/// The main cause: a load measured on a shared machine can find turnload itself behind (a
/// stalled thread or a noisy neighbour makes its sends late), and the run says so
/// ("harness-bound", exit 2). Such a run proves nothing about the relay either way.
public func measureAgain<Measured>(
    attempts: Int = 5, _ measure: () async throws -> Measured,
    while again: (Measured) -> Bool,
    discard: (Measured) -> Void = { _ in }
) async throws -> Measured {
    var measured = try await measure()
    for _ in 1..<attempts where again(measured) {
        discard(measured)
        measured = try await measure()
    }
    return measured
}
