import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Becomes true on SIGINT or SIGTERM. A plain sigaction handler that only sets an atomic
/// flag: it works whatever the process inherited (a test runner's blocked mask, ignored
/// signals) and whichever thread the kernel picks, where a Dispatch signal source did not
/// always hear the signal in a child of the test runner.
public final class StopSignal: Sendable {
    private static let flag = Atomic<Bool>(false)

    public init() {
        var set = sigset_t()
        sigemptyset(&set)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in StopSignal.flag.store(true, ordering: .relaxed) }
        for signalNumber in [SIGINT, SIGTERM] {
            sigaddset(&set, signalNumber)
            sigaction(signalNumber, &action, nil)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    public var received: Bool { Self.flag.load(ordering: .relaxed) }
}
