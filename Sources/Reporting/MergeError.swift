import Measurement
import RunModel

/// Why shards' results do not make one run. Parts are named by their place in the list given
/// to the merge, counting from 0; `description(naming:)` puts their file names in.
public enum MergeError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingToMerge
    /// The part was not run with `--shard`.
    case notSharded(part: Int)
    case otherTarget(part: Int, target: String, expected: String)
    /// The configuration keys whose values differ from the first part's.
    case otherConfiguration(part: Int, keys: [String])
    case otherShardCount(part: Int, count: Int, expected: Int)
    case duplicateShard(ShardAssignment, parts: [Int])
    /// The shard indices (1-based) none of the parts ran.
    case missingShards([Int], count: Int)
    case histograms(DistributionData.Mismatch)

    public var description: String { description(naming: nil) }

    /// The message with each part called by `names[part]` (e.g. its file), else "result N".
    public func description(naming names: [String]?) -> String {
        func name(_ part: Int) -> String {
            if let names, names.indices.contains(part) { return names[part] }
            return "result \(part + 1)"
        }
        switch self {
        case .nothingToMerge:
            return "no results to merge: give the result of every shard"
        case .notSharded(let part):
            return "\(name(part)) was not run with --shard: only the shards of one load merge"
        case .otherTarget(let part, let target, let expected):
            return "\(name(part)) loaded \(target), not \(expected) like \(name(0)): only the shards of one load merge"
        case .otherConfiguration(let part, let keys):
            return "\(name(part)) was configured unlike \(name(0)) (\(keys.joined(separator: ", "))): "
                + "the shards of one load run with the same options but --shard"
        case .otherShardCount(let part, let count, let expected):
            return "\(name(part)) is one of \(count) shards, \(name(0)) one of \(expected): only the shards of one load merge"
        case .duplicateShard(let shard, let parts):
            return "shard \(shard) is there twice (\(parts.map(name).joined(separator: ", "))): give each shard's result once"
        case .missingShards(let missing, let count):
            return "shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) "
                + "missing: give the result of every shard"
        case .histograms(let mismatch):
            return "the histograms cannot be merged (\(mismatch)): the results were written by incompatible versions of turnload"
        }
    }
}
