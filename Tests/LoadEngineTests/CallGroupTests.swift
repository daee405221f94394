import LoadEngine
import RunModel
import Testing

@Suite("groups of calls: clients and media")
struct CallGroupTests {
    /// Each group takes the next clients in the order given with its own media; the clients
    /// no group takes are `others`, with the run's.
    @Test func groupsTakeClientsInTurnAndTheRestAreOthers() {
        var configuration = LoadConfiguration()
        configuration.clients = 10
        configuration.groups = [
            CallGroup(name: "video", clients: 2, bitrate: 510_000, frameMilliseconds: 10, packetsPerFrame: 10, transport: .tcp),
            CallGroup(name: "wide", clients: 3, bitrate: 64_000),
        ]
        let loads = configuration.groupLoads
        #expect(loads.map(\.name) == ["video", "wide", "others"])
        #expect(loads.map(\.configuration.clientRange) == [0..<2, 2..<5, 5..<10])
        #expect(loads.map(\.configuration.media.bitrate) == [510_000, 64_000, 32_000])
        #expect(loads.map(\.configuration.media.frameMilliseconds) == [10, 20, 20])
        #expect(loads.map(\.configuration.packetsPerFrame) == [10, 1, 1])
        #expect(loads.map(\.transport) == [.tcp, nil, nil])
        #expect(loads.allSatisfy { $0.configuration.groups.isEmpty && $0.configuration.clients == 10 })
    }

    @Test func groupsTakingEveryClientLeaveNoOthers() {
        var configuration = LoadConfiguration()
        configuration.clients = 4
        configuration.groups = [CallGroup(name: "a", clients: 1), CallGroup(name: "b", clients: 3)]
        #expect(configuration.groupLoads.map(\.name) == ["a", "b"])
    }

    /// A shard runs only the groups among its clients: shard 2/2 of 20, clients 10–19, holds
    /// none of a group of the first 6, and runs no load of none for it.
    @Test func aShardRunsOnlyItsOwnGroups() throws {
        var configuration = LoadConfiguration()
        configuration.clients = 20
        configuration.groups = [CallGroup(name: "heavy", clients: 6, bitrate: 128_000)]
        configuration.shard = try ShardAssignment(parsing: "2/2")
        #expect(configuration.groupLoads.map(\.name) == ["others"])
        #expect(configuration.groupLoads.map(\.configuration.clientRange) == [6..<20])
        configuration.shard = try ShardAssignment(parsing: "1/2")
        #expect(configuration.groupLoads.map(\.name) == ["heavy", "others"])
    }
}
