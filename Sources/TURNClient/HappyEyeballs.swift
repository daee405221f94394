/// RFC 8305 §5 over any kind of attempt: candidates tried in order, each `delay` after the
/// one before or at once when it fails, the first to succeed wins and the rest are
/// cancelled; one that succeeds too late is handed to `discard` (a connection to close).
public enum HappyEyeballs {
    /// RFC 8305's recommended Connection Attempt Delay.
    public static let attemptDelay: Duration = .milliseconds(250)

    /// Every candidate failed: each with why, in the order they were tried.
    public struct Failures: Error, Sendable, CustomStringConvertible {
        public var attempts: [(candidate: String, error: any Error)]

        public var description: String {
            attempts.map { "\($0.candidate): \($0.error)" }.joined(separator: "; ")
        }
    }

    public static func race<Candidate: Sendable, Value: Sendable>(
        _ candidates: [Candidate], delay: Duration = attemptDelay, named name: (Candidate) -> String,
        attempt: @escaping @Sendable (Candidate) async throws -> Value,
        discard: @escaping @Sendable (Value) async -> Void
    ) async throws -> (winner: Candidate, value: Value, failures: Failures) {
        let (events, sink) = AsyncStream.makeStream(of: RaceEvent<Value>.self)
        var tasks: [Task<Void, Never>] = []
        func start(_ index: Int) {
            tasks.append(
                Task {
                    let result: Result<Value, any Error>
                    do { result = .success(try await attempt(candidates[index])) } catch { result = .failure(error) }
                    if case .terminated = sink.yield(.finished(index, result)), case .success(let value) = result {
                        await discard(value)
                    }
                })
            if index + 1 < candidates.count {
                tasks.append(
                    Task {
                        guard (try? await Task.sleep(for: delay)) != nil else { return }
                        sink.yield(.due(index + 1))
                    })
            }
        }
        defer { for task in tasks { task.cancel() } }

        var failures = Failures(attempts: [])
        var winner: (index: Int, value: Value)?
        guard !candidates.isEmpty else { throw failures }
        var next = 1
        start(0)
        for await event in events {
            switch event {
            case .due(let index) where index == next:
                start(next)
                next += 1
            case .due:
                continue
            case .finished(let index, .success(let value)):
                winner = (index, value)
            case .finished(let index, .failure(let error)):
                failures.attempts.append((name(candidates[index]), error))
                if next < candidates.count {
                    start(next)
                    next += 1
                }
            }
            if winner != nil || failures.attempts.count == candidates.count { break }
        }
        sink.finish()
        // Successes already queued behind the winner are losers too.
        for await case .finished(_, .success(let value)) in events { await discard(value) }
        guard let winner else {
            try Task.checkCancellation()
            throw failures
        }
        if Task.isCancelled {
            await discard(winner.value)
            throw CancellationError()
        }
        return (candidates[winner.index], winner.value, failures)
    }
}

/// What a race waits for: an attempt's outcome, or the time to start the next one.
private enum RaceEvent<Value: Sendable>: Sendable {
    case finished(Int, Result<Value, any Error>)
    case due(Int)
}
