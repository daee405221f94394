/// This process's share of a load that several processes (machines) run together, `--shard 2/3`:
/// the `index`th of `count` contiguous blocks of the global client indices.
public struct ShardAssignment: Sendable, Codable, Hashable, CustomStringConvertible {
    /// From 1 to `count`.
    public let index: Int
    public let count: Int

    /// The whole load in one process.
    public static let whole = ShardAssignment(index: 1, count: 1)

    private init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N` with 1 ≤ I ≤ N.
    public init(parsing text: String) throws(ShardAssignmentError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { throw .form(text) }
        guard count >= 1 else { throw .noShards(text) }
        guard (1...count).contains(index) else { throw .outOfRange(text) }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// This shard's global client indices out of `total`, cut at multiples of `groupSize` (2 in
    /// `pair`, so that both ends of a call run in one process). The first shards take one group
    /// more when the groups do not divide evenly.
    public func clients(of total: Int, inGroupsOf groupSize: Int) -> Range<Int> {
        let groups = (total + groupSize - 1) / groupSize
        let (base, remainder) = groups.quotientAndRemainder(dividingBy: count)
        let before = index - 1
        let firstGroup = before * base + min(before, remainder)
        let groupsHere = base + (before < remainder ? 1 : 0)
        return min(total, firstGroup * groupSize)..<min(total, (firstGroup + groupsHere) * groupSize)
    }
}

public enum ShardAssignmentError: Error, Sendable, Equatable, CustomStringConvertible {
    case form(String)
    case noShards(String)
    case outOfRange(String)

    public var description: String {
        switch self {
        case .form(let text): "\(text) is not I/N: give this process's shard and the number of shards, e.g. 2/3"
        case .noShards(let text): "\(text) has no shards: N must be at least 1"
        case .outOfRange(let text): "\(text) is out of range: I counts from 1 to N, e.g. 1/3, 2/3 and 3/3"
        }
    }
}
