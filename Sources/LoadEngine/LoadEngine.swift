import Foundation
import Measurement
import Media
import NIOCore
import NIOPosix
import PacketIO
import RunModel
import TURNClient
import TURNProtocol

/// Many simulated calls through one TURN endpoint: allocations opened at the ramp rate, Opus
/// in RTP over ChannelData paced every frame interval, measured both ways, then a clean stop.
public final class LoadEngine: Sendable {
    public let target: LoadTarget
    public let configuration: LoadConfiguration
    let library: OpusPacketLibrary

    public init(target: LoadTarget, configuration: LoadConfiguration, library: OpusPacketLibrary) {
        self.target = target
        self.configuration = configuration
        self.library = library
    }

    /// Runs the load; `shouldStop` is polled ten times a second (Ctrl-C), `progress` gets one
    /// sample a second, `checkpoint` the figures so far at its interval. With `live`, the
    /// population grows as it asks and the run lasts until it finishes, instead of `clients`
    /// for `duration`. Throws only when the run cannot start at all.
    public func run(
        group: EventLoopGroup, progress: @escaping @Sendable (SecondSample) -> Void = { _ in },
        shouldStop: @escaping @Sendable () -> Bool = { false }, checkpoint: LoadCheckpoint? = nil,
        live: LivePopulation? = nil
    ) async throws -> LoadOutcome {
        let (server, unanswered) = try await chooseServer(group: group)
        let relayFamily = configuration.relayFamily ?? RelayFamily(serverFamily: server.addressFamily)
        let loops = Array(group.makeIterator()).prefix(max(1, configuration.threads))
        let ipv6 = server.addressFamily == .ipv6
        // In `pair` the far end is the partner's relayed address, of the relayed family.
        let peerHost =
            configuration.topology == .pair
            ? nil : try configuration.peerHost ?? Self.peerHost(toward: server, relayFamily: relayFamily)
        let peerIPv6 = peerHost.map { $0.family == .ipv6 } ?? (relayFamily == .ipv6)
        // Plain UDP media runs on packet loops of our own; the rest through NIO's pipelines.
        var packetLoops: [PacketLoop] = []
        if target.uri.transport == .udp {
            for index in loops.indices {
                do { packetLoops.append(try PacketLoop(name: "turnload-media\(index)")) } catch {
                    for loop in packetLoops { loop.shutdown() }
                    throw LoadError("cannot start a packet loop: \(error)")
                }
            }
        }
        defer { for loop in packetLoops { loop.shutdown() } }
        let threads = loops.enumerated().map { index, loop in
            ClientThread(
                eventLoop: loop, packetLoop: packetLoops.isEmpty ? nil : packetLoops[index], topology: configuration.topology,
                interval: configuration.media.frameInterval,
                clientOverhead: WireOverhead(transport: target.uri.transport, ipv6: ipv6), peerOverhead: .peerLeg(ipv6: peerIPv6))
        }
        for thread in threads { try await thread.attach() }
        if let host = peerHost {
            for thread in threads {
                do { try await thread.openPeer(host: host) } catch {
                    for opened in threads { await opened.close() }
                    throw LoadError("cannot open the peer socket on \(host): \(error)")
                }
            }
        }
        let run = RunState(
            threads: threads, churns: configuration.arrivals != nil, requested: configuration.localClients(over: target.uri.transport))
        let started = monotonicNanoseconds()
        let cpuAtStart = await run.threadCPU()
        await run.clockStarted(cpu: cpuAtStart, at: started)
        for thread in threads { try await thread.onThread { thread.startPacing(at: started) } }

        let setup = ClientSetup(
            target: target, server: server, relayFamily: relayFamily, peerFamily: peerHost?.family,
            timeout: configuration.requestTimeout, refreshIntervals: configuration.refreshIntervals)
        let ramp = Task {
            if let live {
                await self.grow(live, setup, into: run, startedAt: started)
            } else if let arrivals = configuration.arrivals {
                await self.arrive(arrivals, setup, into: run, startedAt: started)
            } else {
                await self.ramp(setup, clients: configuration.localClients, into: run)
            }
            await run.markRampDone()
        }
        var status = RunStatus.complete
        var seconds = 0
        // Calls that come and go have no full load to wait for: the run is theirs from the start.
        var fullLoadAt: Int64? = configuration.arrivals == nil ? nil : started
        /// The packet threads' CPU and the seconds measured when the ramp was done: the cost
        /// at full load starts there.
        var atFullLoad: (cpu: Double, seconds: Int)? = configuration.arrivals == nil ? nil : (cpuAtStart, 0)
        var silentSeconds = 0
        var nextSecond = started
        var lastCheckpoint = started
        while true {
            nextSecond += 1_000_000_000
            while monotonicNanoseconds() < nextSecond {
                if shouldStop() {
                    status = .interrupted
                    break
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            if status == .interrupted { break }
            let sample = await run.second()
            seconds += 1
            progress(sample)
            let rampDone = await run.rampDone
            if fullLoadAt == nil, rampDone {
                fullLoadAt = monotonicNanoseconds()
                atFullLoad = (await run.threadCPU(), seconds)
            }
            // An endpoint that stops answering: five seconds of sending with nothing back.
            silentSeconds = sample.sent > 0 && sample.received == 0 ? silentSeconds + 1 : 0
            let allGone = rampDone && configuration.arrivals == nil && live == nil && sample.activeClients == 0 && seconds > 2
            if silentSeconds >= 5 || allGone {
                status = .endpointFailed
                break
            }
            if live != nil, rampDone { break }
            if live == nil, let fullLoadAt, monotonicNanoseconds() - fullLoadAt >= configuration.duration.nanosecondsValue { break }
            if let checkpoint, monotonicNanoseconds() - lastCheckpoint >= checkpoint.interval.nanosecondsValue {
                lastCheckpoint = monotonicNanoseconds()
                var partial = await run.outcome(
                    status: .inProgress, configuration: configuration, startedAt: started, sendingEndedAt: lastCheckpoint)
                partial.serverAddress = server.displayText
                await checkpoint.write(partial)
            }
        }
        if let live {
            let cut = status == .complete ? nil : await run.windowOutcome(status: status, configuration: configuration, startedAt: started)
            await live.runEnded(cut)
        }
        ramp.cancel()
        await run.stop()
        for thread in threads { try? await thread.onThread { thread.stopPacing() } }
        let sendingEnded = monotonicNanoseconds()
        let cpuAtSendingEnd = await run.threadCPU()
        // The drain waits for packets still in flight; a stop during it cuts it short and
        // marks the run, since what arrives after the cut is missing from its figures.
        let drainEnds = sendingEnded + (status == .complete ? configuration.drain : .milliseconds(500)).nanosecondsValue
        while monotonicNanoseconds() < drainEnds {
            if shouldStop() {
                status = .interrupted
                break
            }
            try? await Task.sleep(for: .nanoseconds(max(0, min(100_000_000, drainEnds - monotonicNanoseconds()))))
        }
        let cpu = await run.threadCPU() - cpuAtStart
        var outcome = await run.outcome(
            status: status, configuration: configuration, startedAt: started, sendingEndedAt: sendingEnded)
        let series = outcome.series
        // A load that no client could join measured nothing: the endpoint failed it (the
        // failures say why: 401, 508, no answer…).
        if outcome.status == .complete, outcome.clients.allocated == 0 { outcome.status = .endpointFailed }
        // Only with every refresh answered: a failed one is the explanation, by its error code.
        if outcome.status == .endpointFailed, outcome.clients.refreshes?.failures.isEmpty == true, let routed = await run.firstJoined {
            outcome.clients.refreshes?.lapse = RefreshLapse.explain(
                series: series, routedAt: Double(routed - started) / 1e9, intervals: configuration.refreshIntervals,
                indications: configuration.indications)
        }
        outcome.serverAddress = server.displayText
        outcome.unansweredAddresses = unanswered.isEmpty ? nil : unanswered
        // The client threads alone: an in-process relay's CPU is not the harness's.
        outcome.health.recordCPU(used: Int64(cpu * 1e9), over: monotonicNanoseconds() - started, coresAvailable: threads.count)
        var ports = Set<Int>()
        for thread in threads {
            guard let (counted, nioPorts) = try? await thread.onThread({ thread.receiveQueueDrops() }) else { continue }
            outcome.health.addReceiveQueueDrops(counted)
            ports.formUnion(nioPorts)
        }
        if !ports.isEmpty { outcome.health.addReceiveQueueDrops(SocketDrops.count(ports: ports)) }
        outcome.healthSummary = outcome.health.summary(frameInterval: configuration.media.frameInterval.nanosecondsValue)
        if let atFullLoad, let fullLoadAt {
            let seconds = series[atFullLoad.seconds...]
            let echo = configuration.topology == .echo
            outcome.healthSummary.recordCost(
                cpuSeconds: cpuAtSendingEnd - atFullLoad.cpu,
                messages: seconds.reduce(0) { $0 + (echo ? $1.received : $1.sent) },
                calls: outcome.clients.allocated, seconds: Double(sendingEnded - fullLoadAt) / 1e9)
        }
        await run.release(timeout: .seconds(2))
        // Setups still under way at the stop close what they opened themselves.
        await ramp.value
        for thread in threads { await thread.close() }
        return outcome
    }

    /// The address every client uses: of a name's addresses, the first to answer (RFC 8305),
    /// with those that did not and why.
    private func chooseServer(group: EventLoopGroup) async throws -> (SocketAddress, [String]) {
        do {
            let servers = try await ServerAddresses.resolve(target.uri, timeout: configuration.requestTimeout)
            guard servers.count > 1 else { return (servers[0], []) }
            let (connection, failed) = try await TURNClientConnection.connect(
                toFirstOf: servers, hostname: target.uri.host, transport: target.uri.transport,
                configuration: { [target, timeout = configuration.requestTimeout] _ in
                    TURNSessionConfiguration(
                        credential: target.credential, reliable: target.uri.transport.isStream,
                        requestTimeout: timeout)
                },
                tls: target.tls, group: group, timeout: TimeAmount(configuration.requestTimeout))
            await connection.close()
            return (connection.server, failed)
        } catch {
            throw LoadError("\(target.uri): \(error)")
        }
    }

    /// Where the peer sockets listen: the local address that routes to the server, when the
    /// relayed family is the server's (a dual allocation's media takes that family); loopback
    /// of the relayed family when the server is on loopback; else the user must say.
    static func peerHost(toward server: SocketAddress, relayFamily: RelayFamily) throws -> IPAddress {
        let serverFamily = server.addressFamily
        let wanted: AddressFamily =
            switch relayFamily {
            case .ipv4: .ipv4
            case .ipv6: .ipv6
            case .both: serverFamily
            }
        let ip = TransportAddress(server)?.ip
        if wanted != serverFamily {
            guard ip?.isLoopback == true else {
                throw LoadError(
                    "--relay-family \(relayFamily.rawValue) through a server reached over "
                        + "\(serverFamily == .ipv6 ? "IPv6" : "IPv4"): give --peer-host an \(wanted == .ipv6 ? "IPv6" : "IPv4") "
                        + "address of this machine for the peer sockets")
            }
            return wanted == .ipv6 ? .loopbackV6 : .loopbackV4
        }
        do { return try LocalRoute.address(toward: server) } catch {
            throw LoadError("\(error); give --peer-host")
        }
    }

    /// One population, grown as `live` asks: the clients still missing open at the ramp rate,
    /// a second lets them settle, then a window of figures of its own.
    private func grow(_ live: LivePopulation, _ setup: ClientSetup, into run: RunState, startedAt started: Int64) async {
        var opened = 0
        while let step = await live.nextStep() {
            await ramp(setup, clients: opened..<max(opened, step.clients), into: run)
            opened = max(opened, step.clients)
            await run.grown(to: opened)
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
            await run.beginWindow()
            try? await Task.sleep(for: step.window)
            if Task.isCancelled { return }
            await live.answer(await run.windowOutcome(status: .complete, configuration: configuration, startedAt: started))
        }
    }

    /// Opens `share` of the clients at this process's share of the ramp rate, each on the next
    /// event loop; in `pair`, two at a time. Streams are seeded by the global client index, so
    /// that shards run exactly the clients one big run would.
    private func ramp(_ setup: ClientSetup, clients share: Range<Int>, into run: RunState) async {
        let group = configuration.callSize
        let spacing = 1_000_000_000 * Int64(group * configuration.shard.count) / Int64(max(1, configuration.rampPerSecond))
        let start = monotonicNanoseconds()
        await withTaskGroup(of: Void.self) { tasks in
            for first in stride(from: share.lowerBound, to: share.upperBound, by: group)
            where configuration.carries(first, over: target.uri.transport) {
                let due = start + Int64((first - share.lowerBound) / group) * spacing
                let wait = due - monotonicNanoseconds()
                if wait > 0 { try? await Task.sleep(for: .nanoseconds(wait)) }
                if Task.isCancelled { break }
                let thread = run.thread(for: first / group)
                let streams = (first..<min(first + group, share.upperBound)).map {
                    RTPStreamState.seeded(client: $0, seed: configuration.seed, libraryCount: library.count)
                }
                tasks.addTask { await self.start(first, streams, on: thread, setup, into: run) }
            }
            await tasks.waitForAll()
        }
    }

    /// Calls as they arrive (a Poisson process, this process's share of it), each talking for
    /// its holding time and hanging up; calls still talking at the end stop with the run.
    private func arrive(_ plan: ArrivalPlan, _ setup: ClientSetup, into run: RunState, startedAt start: Int64) async {
        let size = configuration.callSize
        // Discarding: a run of hours has many calls, and finished ones must not pile up.
        await withDiscardingTaskGroup { tasks in
            for call in plan.calls(seed: configuration.seed, shard: configuration.shard, within: configuration.duration) {
                let wait = start + call.arrival.nanosecondsValue - monotonicNanoseconds()
                if wait > 0 { try? await Task.sleep(for: .nanoseconds(wait)) }
                if Task.isCancelled { break }
                await run.callArrived()
                let first = call.index * size
                let thread = run.thread(for: call.index)
                let streams = (first..<first + size).map {
                    RTPStreamState.seeded(client: $0, seed: configuration.seed, libraryCount: library.count)
                }
                tasks.addTask {
                    guard let clients = await self.start(first, streams, on: thread, setup, into: run) else { return }
                    try? await Task.sleep(for: call.holdTime)
                    if !Task.isCancelled { await self.hangUp(clients, on: thread, run) }
                }
            }
        }
    }

    /// A call ends: its media stops, its packets in flight get the drain to arrive (even when
    /// the run stops meanwhile, or they would count as lost), then its figures are kept and
    /// its allocations released.
    private func hangUp(_ clients: [SimulatedClient], on thread: ClientThread, _ run: RunState) async {
        guard await run.hangingUp(clients) else { return }
        _ = try? await thread.onThread { for client in clients { thread.silence(client) } }
        await Task { [drain = configuration.drain] in try? await Task.sleep(for: drain) }.value
        _ = try? await thread.onThread { for client in clients { thread.retire(client) } }
        for client in clients { await RunState.release(client.connection, timeout: .seconds(2)) }
        _ = try? await thread.onThread { for client in clients { thread.forget(client.connection) } }
    }

    /// Allocates, binds the channel each client sends on and joins the clients to the pacing;
    /// the clients, once they joined.
    @discardableResult
    private func start(
        _ first: Int, _ streams: [RTPStreamState], on thread: ClientThread, _ setup: ClientSetup,
        into run: RunState
    ) async -> [SimulatedClient]? {
        var allocated: [ClientSetup.Allocated] = []
        for _ in streams {
            do {
                let client = try await setup.allocate(on: thread)
                allocated.append(client)
                await run.allocated(client.allocateNanoseconds, software: client.allocation.software)
            } catch {
                await run.failed(error)
            }
        }
        guard allocated.count == streams.count else {
            for client in allocated { await RunState.release(client.connection, timeout: .seconds(2)) }
            return nil
        }
        let destinations =
            configuration.topology == .pair
            ? [allocated[1].allocation.relayed, allocated[0].allocation.relayed]
            : [thread.peerAddress!]
        var clients: [SimulatedClient] = []
        for (offset, client) in allocated.enumerated() {
            let route: MediaRoute
            do {
                route = try await Self.route(client.connection.requests, to: destinations[offset], indications: configuration.indications)
            } catch {
                await run.failed(SetupFailure(error, step: configuration.indications ? "permission" : "channel bind"))
                for client in allocated { await RunState.release(client.connection, timeout: .seconds(2)) }
                return nil
            }
            let index = first + offset
            let simulated = SimulatedClient(
                index: index, connection: client.connection, route: route,
                fiveTuple: "\(client.connection.fiveTuple), relayed \(client.allocation.relayed)",
                phase: Self.phase(index, interval: configuration.media.frameInterval.nanosecondsValue), rtp: streams[offset],
                library: library, packetsPerFrame: configuration.packetsPerFrame,
                jitterBuffer: configuration.jitterBuffer.nanosecondsValue, thread: thread)
            clients.append(simulated)
        }
        if clients.count == 2 {
            clients[0].partner = clients[1]
            clients[1].partner = clients[0]
        }
        guard await run.joined(clients) else {
            for client in clients { await RunState.release(client.connection, timeout: .seconds(2)) }
            return nil
        }
        for client in clients { try? await client.insertTap() }
        try? await thread.onThread { [clients] in for client in clients { thread.add(client) } }
        return clients
    }

    /// A channel bound to `peer`, or with `indications` a permission for it (the session
    /// refreshes either).
    private static func route(_ requests: some TURNRequests, to peer: TransportAddress, indications: Bool) async throws -> MediaRoute {
        guard indications else { return .channel(try await requests.bindChannel(to: peer)) }
        try await requests.createPermission(for: TransportAddress(ip: peer.ip, port: 0))
        return .indications(peer: peer)
    }

    /// Phases spread evenly over the frame interval however many clients there are: the
    /// golden-ratio sequence leaves no two close together and no gap twice the mean.
    static func phase(_ index: Int, interval: Int64) -> Int64 {
        let fraction = (Double(index) * 0.618_033_988_749_895).truncatingRemainder(dividingBy: 1)
        return Int64(fraction * Double(interval))
    }
}

public struct LoadError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
