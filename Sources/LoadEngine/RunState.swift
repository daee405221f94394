import Measurement
import Media
import NIOCore
import PacketIO
import RunModel
import TURNClient

/// The run's bookkeeping off the hot path: which clients are up, how allocations went, and the
/// threads' figures gathered once a second and at the end.
actor RunState {
    let threads: [ClientThread]
    private var clients: [SimulatedClient] = []
    private var allocationLatency = Distribution()
    private var failures: [String: Int] = [:]
    private var failureExamples: [String: String] = [:]
    private var software: String?
    private(set) var rampDone = false
    /// When the first call joined the pacing (monotonic nanoseconds), its channel or
    /// permission just made: where a lifetime shorter than the refresh interval starts.
    private(set) var firstJoined: Int64?
    private var stopping = false
    private var totalErrors = 0
    private var errorsReported = 0

    init(threads: [ClientThread]) {
        self.threads = threads
    }

    nonisolated func thread(for index: Int) -> ClientThread { threads[index % threads.count] }

    func allocated(_ nanoseconds: Int64, software: String?) {
        allocationLatency.record(nanoseconds)
        if self.software == nil { self.software = software }
    }

    func failed(_ failure: SetupFailure) {
        failures[failure.reason, default: 0] += 1
        if failureExamples[failure.reason] == nil { failureExamples[failure.reason] = failure.detail }
        totalErrors += 1
    }

    /// False once the run is stopping: a setup that finishes then must close what it opened.
    func joined(_ new: [SimulatedClient]) -> Bool {
        guard !stopping else { return false }
        if firstJoined == nil { firstJoined = monotonicNanoseconds() }
        clients += new
        return true
    }

    func stop() { stopping = true }

    func markRampDone() { rampDone = true }

    /// CPU seconds of the client threads so far.
    func threadCPU() async -> Double {
        var total = 0.0
        for thread in threads { total += (try? await thread.onThread { CPUTime.currentThread() }) ?? 0 }
        return total
    }

    /// The second that just ended, from every thread; `lost` is the run's so far (see
    /// `ClientThread.lostSoFar`).
    func second(index: Int) async -> SecondSample {
        var tally = ThreadTally()
        var jitter = Distribution()
        var closed = 0
        var lost = 0
        for thread in threads {
            guard
                let (second, threadClosed, threadJitter, threadLost) = try? await thread.onThread({
                    (thread.takeSecond(), thread.closedClients, thread.currentJitter(), thread.lostSoFar())
                })
            else { continue }
            tally.merge(second)
            closed += threadClosed
            jitter.merge(threadJitter)
            lost += threadLost
        }
        var delay = tally.towardPeer.oneWayDelay
        delay.merge(tally.towardClient.oneWayDelay)
        // The calls' packets: what clients sent, and what reached the end of its way (back at
        // the client in echo, at the far end otherwise).
        let echo = threads.first?.topology == .echo
        let sent = tally.towardPeer.sent
        let received = (echo ? tally.towardClient : tally.towardPeer).oneWayDelay.count
        let sample = SecondSample(
            second: index, sent: sent, received: received, lost: lost,
            bytesSent: tally.towardPeer.wireBytesSent + tally.towardClient.wireBytesSent,
            bytesReceived: tally.towardPeer.wireBytesReceived + tally.towardClient.wireBytesReceived,
            delay: delay, rtt: tally.rtt, jitter: jitter, activeClients: clients.count - closed,
            errors: totalErrors - errorsReported)
        errorsReported = totalErrors
        return sample
    }

    /// The run's figures, once sending has stopped and the drain is over.
    func outcome(
        status: RunStatus, configuration: LoadConfiguration, sendingSeconds: Double,
        series: [SecondSample]
    ) async -> LoadOutcome {
        var tally = ThreadTally()
        var streams: [(client: Int, ssrc: UInt32, route: MediaPath, towardPeer: StreamTotals, towardClient: StreamTotals)] = []
        var refreshes = RefreshFigures()
        for thread in threads {
            guard
                let (threadTally, threadRefreshes, threadStreams) = try? await thread.onThread({
                    (
                        thread.runTally, thread.refreshes,
                        thread.clients.map { client in
                            (
                                client.index, client.ssrc, client.route.path,
                                client.towardPeer.finish(sent: client.sent, firstSequence: client.firstSequence),
                                // From the client's first sequence number: the echo carries the way out's
                                // numbers, gaps included, and its first packet may have been overtaken.
                                client.towardClient.finish(sent: client.echoed, firstSequence: client.firstSequence)
                            )
                        }
                    )
                })
            else { continue }
            tally.merge(threadTally)
            refreshes.merge(threadRefreshes)
            streams += threadStreams
        }
        let echo = configuration.topology == .echo
        for stream in streams {
            tally.towardPeer.add(stream.towardPeer)
            if echo { tally.towardClient.add(stream.towardClient) }
        }
        var calls = streams.map { stream in
            var call = CallFigures(
                client: stream.client, ssrc: stream.ssrc, towardPeer: stream.towardPeer,
                towardClient: echo ? stream.towardClient : nil, mos: 0)
            call.route = stream.route
            return call
        }.sorted { $0.client < $1.client }
        var clients = ClientFigures(
            requested: configuration.localClients.count, allocationLatency: allocationLatency,
            failures: failures, failureExamples: failureExamples)
        clients.refreshes = refreshes
        let quality = CallQuality(rating: &calls, model: CallQuality.model(for: configuration), delay: tally.towardPeer.oneWayDelay)
        return LoadOutcome(
            status: status, endpointSoftware: software,
            clients: clients,
            sendingSeconds: sendingSeconds, towardPeer: tally.towardPeer, towardClient: echo ? tally.towardClient : nil,
            rtt: echo ? tally.rtt : nil, quality: quality,
            health: tally.health, healthSummary: tally.health.summary(frameInterval: configuration.media.frameInterval.nanosecondsValue),
            series: series, calls: calls)
    }

    /// Releases every allocation (Refresh with lifetime 0) and closes the sockets, many at a time.
    func release(timeout: Duration) async {
        let all = clients
        await withTaskGroup(of: Void.self) { group in
            for (index, client) in all.enumerated() {
                if index >= 256 { await group.next() }
                group.addTask { await Self.release(client.connection, timeout: timeout) }
            }
        }
    }

    /// Refresh with lifetime 0, then close; closing fails the request when the endpoint does
    /// not answer within `timeout`, so a dead endpoint does not hold the run's end.
    static func release(_ connection: LoadConnection, timeout: Duration) async {
        let deadline = Task {
            try await Task.sleep(for: timeout)
            await connection.close()
        }
        _ = try? await connection.requests.release()
        deadline.cancel()
        await connection.close()
    }
}
