import ArgumentParser
import Foundation
import Reporting

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join the results of a load's shards into the result of the whole run.",
        discussion: """
            A load too large for one machine runs as N shards, each `turnload run --shard I/N` \
            with the same options and the same --start-at. Merging their results gives what one \
            process running every client would have measured: counts and histograms add \
            exactly, every call is rated again among all of them, and the per-second rows line \
            up by the second they were measured in. Only the N shards of one load merge, each \
            once. Writes result.json (with a record of its parts) and timeseries.csv.

            Examples:
              turnload merge shard-1 shard-2 shard-3 --out results/merged
              turnload merge results/*-shard-*/result.json
            """
    )

    @Argument(help: ArgumentHelp("The shards' result.json files, or the folders that hold them.", valueName: "RESULT"))
    var results: [String] = []

    @Option(help: ArgumentHelp("Folder for the merged result (default results/<time>-<target>-merged).", valueName: "DIR"))
    var out: String?

    func validate() throws {
        guard !results.isEmpty else { throw ValidationError("give the result of every shard: their result.json files or folders") }
    }

    func run() throws {
        let parts = try results.map(Self.read)
        let merged: RunResult
        do { merged = try RunResult.merged(parts) } catch { throw ValidationError(error.description(naming: results)) }
        let folder = out ?? "results/\(ResultWriter.timestamp(merged.startedAt))-\(ResultWriter.folderName(for: merged.target))-merged"
        do { try ResultWriter.write(merged, to: folder) } catch { throw error.reported() }
        print(RunSummary.render(merged, folder: folder))
    }

    /// A result from its file, or from the folder `turnload run` wrote it into.
    static func read(_ path: String) throws -> RunResult {
        var isFolder: ObjCBool = false
        let isFolderPath = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        let file = isFolderPath ? URL(fileURLWithPath: path).appendingPathComponent("result.json").path : path
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        do { return try ResultWriter.decode(data) } catch {
            throw ValidationError("\(file) is not a turnload result.json: \(error)")
        }
    }
}
