import LoadEngine
import RunModel
import Testing

@Suite("Shard assignment")
struct ShardAssignmentTests {
    @Test func parsesIOfN() throws {
        let shard = try ShardAssignment(parsing: "2/3")
        #expect(shard.index == 2 && shard.count == 3 && shard.description == "2/3")
        #expect(try ShardAssignment(parsing: "1/1") == .whole)
    }

    @Test(arguments: [
        ("0/3", ShardAssignmentError.outOfRange("0/3")),
        ("4/3", .outOfRange("4/3")),
        ("-1/3", .outOfRange("-1/3")),
        ("1/0", .noShards("1/0")),
        ("abc", .form("abc")),
        ("1/2/3", .form("1/2/3")),
        ("2/", .form("2/")),
        ("", .form("")),
    ])
    func refusesWhatIsNotAShard(_ text: String, _ error: ShardAssignmentError) {
        #expect(throws: error) { try ShardAssignment(parsing: text) }
    }

    /// However the clients divide, the shards' blocks tile them in order, cut between calls,
    /// the first shards holding the one call more.
    @Test(arguments: [1, 2])
    func sharesTileTheClientsByWholeCalls(callSize: Int) throws {
        for total in stride(from: callSize * 7, through: 200, by: callSize * 3) {
            for count in 1...7 {
                let shares = try (1...count).map { try ShardAssignment(parsing: "\($0)/\(count)").clients(of: total, inGroupsOf: callSize) }
                #expect(shares.first?.lowerBound == 0 && shares.last?.upperBound == total)
                #expect(zip(shares, shares.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(shares.allSatisfy { $0.lowerBound % callSize == 0 && $0.count % callSize == 0 })
                let sizes = shares.map(\.count)
                #expect(sizes == sizes.sorted(by: >) && sizes[0] - sizes[count - 1] <= callSize, "\(total) in \(count): \(sizes)")
            }
        }
    }

    @Test func remaindersGoToTheFirstShards() throws {
        let shares = try (1...3).map { try ShardAssignment(parsing: "\($0)/3").clients(of: 31, inGroupsOf: 1) }
        #expect(shares == [0..<11, 11..<21, 21..<31])
        let pairs = try (1...3).map { try ShardAssignment(parsing: "\($0)/3").clients(of: 20, inGroupsOf: 2) }
        #expect(pairs == [0..<8, 8..<14, 14..<20])
    }
}
