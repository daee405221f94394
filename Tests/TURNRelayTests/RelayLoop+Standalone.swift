import Dispatch
import NIOConcurrencyHelpers
import PacketIO
import RunModel
import TURNProtocol

@testable import TURNRelay

extension RelayLoop {
    /// A relay loop of its own, with no UDP listener: what NIO's clients hand their frames to.
    /// Stop it when done.
    static func standalone(_ configuration: RelayConfiguration) throws -> RelayLoop {
        try RelayLoop(
            index: 0, core: RelayCore(configuration: configuration), listeners: [nil, nil], relayIPs: [.ipv4: IPAddress("127.0.0.1")!],
            ports: RelayPortRotation(nil), capacity: nil, origin: PacketLoop.now())
    }

    /// What the loop counted once the jobs handed to it before have run. Waited for on the
    /// caller's thread, which a test with an embedded event loop must not leave.
    func countedSoFar() -> RelayCounters {
        let counted = NIOLockedValueBox(RelayCounters())
        let done = DispatchSemaphore(value: 0)
        execute { loop in
            counted.withLockedValue { $0 = loop.snapshot() }
            done.signal()
        }
        done.wait()
        return counted.withLockedValue { $0 }
    }
}
