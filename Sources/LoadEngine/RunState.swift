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
    /// With calls that come and go: the calls so far, and this second's churn.
    private let churns: Bool
    private var arrived = 0
    private var talked = 0
    private var hungUp = 0
    private var allocationsThisSecond = 0
    private var releasesThisSecond = 0
    private var failuresThisSecond: [String: Int] = [:]
    /// The clients a live population has been grown to so far (`saturate --live`).
    private var grownTo: Int?
    /// Every second sampled so far, and where the window (`beginWindow`) starts among them.
    private(set) var series: [SecondSample] = []
    private var windowSeries = 0
    /// Each call's totals when the window began, by client index.
    private var windowBaseline: [Int: SimulatedClient.Figures] = [:]
    /// The client threads' CPU and the clock at the last sample, for each second's share.
    private var lastSample: (cpu: Double, at: Int64)?

    /// The clients a load of `requested` asks for, unless they come and go or grow live.
    private let requested: Int

    init(threads: [ClientThread], churns: Bool = false, requested: Int = 0) {
        self.threads = threads
        self.churns = churns
        self.requested = requested
    }

    nonisolated func thread(for index: Int) -> ClientThread { threads[index % threads.count] }

    func allocated(_ nanoseconds: Int64, software: String?) {
        allocationLatency.record(nanoseconds)
        allocationsThisSecond += 1
        if self.software == nil { self.software = software }
    }

    func failed(_ failure: SetupFailure) {
        failures[failure.reason, default: 0] += 1
        failuresThisSecond[failure.reason, default: 0] += 1
        if failureExamples[failure.reason] == nil { failureExamples[failure.reason] = failure.detail }
        totalErrors += 1
    }

    /// False once the run is stopping: a setup that finishes then must close what it opened.
    func joined(_ new: [SimulatedClient]) -> Bool {
        guard !stopping else { return false }
        if firstJoined == nil { firstJoined = monotonicNanoseconds() }
        clients += new
        talked += 1
        return true
    }

    func callArrived() { arrived += 1 }

    func grown(to clients: Int) { grownTo = clients }

    /// A call hangs up, and releases its allocations itself; false once the run is stopping,
    /// when the run's release takes them with the rest.
    func hangingUp(_ leaving: [SimulatedClient]) -> Bool {
        guard !stopping else { return false }
        clients.removeAll { client in leaving.contains { $0 === client } }
        hungUp += 1
        releasesThisSecond += leaving.count
        return true
    }

    func stop() { stopping = true }

    func markRampDone() { rampDone = true }

    /// The threads' CPU when the run started, for the first second's share.
    func clockStarted(cpu: Double, at start: Int64) { lastSample = (cpu, start) }

    /// CPU seconds of the client threads so far.
    func threadCPU() async -> Double {
        var total = 0.0
        for thread in threads { total += (try? await thread.onThread { CPUTime.currentThread() }) ?? 0 }
        return total
    }

    /// The second that just ended, from every thread; `lost` is the run's so far (see
    /// `ClientThread.lostSoFar`).
    func second() async -> SecondSample {
        let index = series.count + 1
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
        var sample = SecondSample(
            second: index, sent: sent, received: received, lost: lost,
            bytesSent: tally.towardPeer.wireBytesSent + tally.towardClient.wireBytesSent,
            bytesReceived: tally.towardPeer.wireBytesReceived + tally.towardClient.wireBytesReceived,
            delay: delay, rtt: tally.rtt, jitter: jitter, activeClients: clients.count - closed,
            errors: totalErrors - errorsReported)
        errorsReported = totalErrors
        if churns {
            sample.allocations = allocationsThisSecond
            sample.releases = releasesThisSecond
        }
        if !failuresThisSecond.isEmpty { sample.setupFailures = failuresThisSecond }
        allocationsThisSecond = 0
        releasesThisSecond = 0
        failuresThisSecond = [:]
        var health = tally.health
        let (cpu, now) = (await threadCPU(), monotonicNanoseconds())
        if let lastSample {
            health.recordCPU(used: Int64((cpu - lastSample.cpu) * 1e9), over: now - lastSample.at, coresAvailable: threads.count)
        }
        lastSample = (cpu, now)
        sample.health = health
        series.append(sample)
        return sample
    }

    /// The run's figures, once sending has stopped and the drain is over.
    func outcome(
        status: RunStatus, configuration: LoadConfiguration, startedAt started: Int64, sendingEndedAt sendingEnded: Int64
    ) async -> LoadOutcome {
        var tally = ThreadTally()
        var streams: [SimulatedClient.Figures] = []
        var refreshes = RefreshFigures()
        for thread in threads {
            guard
                let (threadTally, threadRefreshes, threadStreams) = try? await thread.onThread({
                    (thread.runTally, thread.refreshes, thread.retired + thread.clients.map(\.figures))
                })
            else { continue }
            tally.merge(threadTally)
            refreshes.merge(threadRefreshes)
            streams += threadStreams
        }
        return outcome(
            status: status, tally: tally, refreshes: refreshes, streams: streams, configuration: configuration, startedAt: started,
            sendingEndedAt: sendingEnded, series: series)
    }

    /// From here on, a window's figures are kept apart (`saturate --live`): each thread's
    /// tally from its next second, each call's totals as they stand.
    func beginWindow() async {
        windowBaseline = [:]
        windowSeries = series.count
        for thread in threads {
            guard let figures = try? await thread.onThread({ thread.beginWindow() }) else { continue }
            for call in figures { windowBaseline[call.client] = call }
        }
    }

    /// The window's figures since `beginWindow`, as a run of its own: the calls' totals since
    /// then, the threads' tallies over its whole seconds.
    func windowOutcome(status: RunStatus, configuration: LoadConfiguration, startedAt started: Int64) async -> LoadOutcome {
        var tally = ThreadTally()
        var streams: [SimulatedClient.Figures] = []
        for thread in threads {
            guard let (window, figures) = try? await thread.onThread({ (thread.window, thread.clients.map(\.figures)) }) else {
                continue
            }
            tally.merge(window)
            streams += figures.map { call in
                guard let before = windowBaseline[call.client] else { return call }
                var since = call
                since.towardPeer = call.towardPeer.since(before.towardPeer)
                since.towardClient = call.towardClient.since(before.towardClient)
                return since
            }
        }
        let series = Array(series[min(windowSeries, series.count)...])
        // A window's refreshes are not told apart from the run's: the whole run (`live/`) has them.
        var outcome = outcome(
            status: status, tally: tally, refreshes: RefreshFigures(), streams: streams, configuration: configuration,
            startedAt: started, sendingEndedAt: started + Int64(series.count) * 1_000_000_000, series: series)
        outcome.clients.requested = streams.count
        return outcome
    }

    private func outcome(
        status: RunStatus, tally: ThreadTally, refreshes: RefreshFigures, streams: [SimulatedClient.Figures],
        configuration: LoadConfiguration,
        startedAt started: Int64, sendingEndedAt sendingEnded: Int64, series: [SecondSample]
    ) -> LoadOutcome {
        var tally = tally
        let echo = configuration.topology == .echo
        for stream in streams {
            tally.towardPeer.add(stream.towardPeer)
            if echo { tally.towardClient.add(stream.towardClient) }
        }
        let churned = configuration.arrivals != nil
        var calls = streams.map { stream in
            var call = CallFigures(
                client: stream.client, ssrc: stream.ssrc, towardPeer: stream.towardPeer,
                towardClient: echo ? stream.towardClient : nil, mos: 0,
                startSeconds: churned ? Double(stream.joinedAt - started) / 1e9 : nil,
                talkSeconds: churned ? Double((stream.silencedAt ?? sendingEnded) - stream.joinedAt) / 1e9 : nil)
            call.route = stream.route
            call.fiveTuple = stream.fiveTuple
            return call
        }.sorted { $0.client < $1.client }
        var clients = ClientFigures(
            requested: grownTo ?? (churns ? arrived * configuration.callSize : requested), allocationLatency: allocationLatency,
            failures: failures, failureExamples: failureExamples)
        clients.refreshes = refreshes
        let quality = CallQuality(rating: &calls, model: CallQuality.model(for: configuration), delay: tally.towardPeer.oneWayDelay)
        var outcome = LoadOutcome(
            status: status, endpointSoftware: software,
            clients: clients,
            sendingSeconds: Double(sendingEnded - started) / 1e9, towardPeer: tally.towardPeer,
            towardClient: echo ? tally.towardClient : nil,
            rtt: echo ? tally.rtt : nil, quality: quality,
            health: tally.health, healthSummary: tally.health.summary(frameInterval: configuration.media.frameInterval.nanosecondsValue),
            series: series, calls: calls)
        outcome.arrivals = configuration.arrivals.map {
            ArrivalFigures(
                plan: $0, arrived: arrived, talked: talked, hungUp: hungUp, series: series, clientsPerCall: configuration.callSize)
        }
        return outcome
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
