import Foundation

/// A result read back from disk for `compare` or a report: a run's `result.json`, or a
/// saturation's `saturation.json` with its steps' results.
public struct LoadedResult: Sendable {
    public enum Content: Sendable {
        case run(RunResult)
        /// `steps`: the steps' results that could be read, in the order of the steps.
        case saturation(SaturationResult, steps: [RunResult])
    }

    /// The file read.
    public var path: String
    public var content: Content

    public init(path: String, content: Content) {
        self.path = path
        self.content = content
    }

    public var target: String {
        switch content {
        case .run(let result): result.target
        case .saturation(let result, _): result.target
        }
    }

    /// The folder holding the file, by name: `20261124-141502-in-process-relay-round2`.
    public var name: String {
        URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
    }

    /// The results at `path`: a `result.json` or `saturation.json` file, a folder holding one,
    /// or a folder whose subfolders hold one each (what `run --repeat` or several targets
    /// write under one `--out`), in name order.
    public static func load(_ path: String) throws(ResultFileError) -> [LoadedResult] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ResultFileError(path: path, problem: "does not exist")
        }
        guard isFolder.boolValue else { return [try read(path)] }
        if let file = resultFile(in: URL(fileURLWithPath: path)) { return [try read(file)] }
        var found: [LoadedResult] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
            if let file = resultFile(in: URL(fileURLWithPath: path).appendingPathComponent(name)) { found.append(try read(file)) }
        }
        guard !found.isEmpty else {
            throw ResultFileError(
                path: path,
                problem: "holds no result.json or \(SaturationResult.fileName), nor do its subfolders: "
                    + "give the folder a run or saturate wrote, or the file itself")
        }
        return found
    }

    /// The result file a folder holds, a saturation's before a run's (its steps hold runs).
    static func resultFile(in folder: URL) -> String? {
        [SaturationResult.fileName, "result.json"].map { folder.appendingPathComponent($0).path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    static func read(_ path: String) throws(ResultFileError) -> LoadedResult {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ResultFileError(path: path, problem: "cannot be read (\(error.localizedDescription))")
        }
        do {
            if path.hasSuffix(SaturationResult.fileName) {
                let saturation = try ResultWriter.decodeSaturation(data)
                try check(saturation.schemaVersion, SaturationResult.currentSchemaVersion, path)
                let base = URL(fileURLWithPath: path).deletingLastPathComponent()
                // A step whose folder was removed only costs the comparison its load check.
                let steps = saturation.steps.compactMap { step in
                    (try? Data(contentsOf: base.appendingPathComponent(step.folder).appendingPathComponent("result.json")))
                        .flatMap { try? ResultWriter.decode($0) }
                }
                return LoadedResult(path: path, content: .saturation(saturation, steps: steps))
            }
            let result = try ResultWriter.decode(data)
            try check(result.schemaVersion, RunResult.currentSchemaVersion, path)
            return LoadedResult(path: path, content: .run(result))
        } catch let error as ResultFileError {
            throw error
        } catch {
            throw ResultFileError(path: path, problem: "is not a turnload result: \(describe(error))")
        }
    }

    static func check(_ version: Int, _ current: Int, _ path: String) throws(ResultFileError) {
        guard version <= current else {
            throw ResultFileError(
                path: path, problem: "has schema version \(version), newer than this turnload reads (\(current)): update turnload")
        }
    }

    /// A decoding error in one line: what was wrong and where in the file.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func place(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context): return "missing \"\(key.stringValue)\"" + place(context.codingPath)
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            return context.debugDescription + place(context.codingPath)
        @unknown default: return "\(error)"
        }
    }
}

extension LoadedResult {
    /// The run, or the saturation's steps that were read.
    var runs: [RunResult] {
        switch content {
        case .run(let result): [result]
        case .saturation(_, let steps): steps
        }
    }

    var saturation: SaturationResult? {
        if case .saturation(let result, _) = content { return result }
        return nil
    }
}

public struct ResultFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public var description: String { "\(path) \(problem)" }
}

extension LoadedResult {
    /// The one result at `path` (a file, or a folder holding one), for commands that take one:
    /// `what` names the argument in the error.
    public static func single(_ path: String, what: String) throws(ResultFileError) -> LoadedResult {
        let found = try load(path)
        guard found.count == 1, let only = found.first else {
            throw ResultFileError(path: path, problem: "holds \(found.count) results: give \(what) one result.json or saturation.json")
        }
        return only
    }
}
