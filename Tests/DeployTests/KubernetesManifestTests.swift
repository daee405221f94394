import Foundation
import TestSupport
import Testing
import Yams

/// `deploy/kubernetes`: valid manifests, an Indexed Job whose pods each run one shard, and a
/// command line that turnload accepts with the password kept out of it.
@Suite("Kubernetes manifests")
struct KubernetesManifestTests {
    static let folder = TurnloadBinary.packageRoot.appendingPathComponent("deploy/kubernetes")
    static let validator = TurnloadBinary.packageRoot.appendingPathComponent(".build/venv/bin/kubernetes-validate")

    static var manifests: [URL] {
        get throws {
            try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        }
    }

    /// Against Kubernetes 1.37's schemas as kubernetes-validate ships them: offline, and strict,
    /// so that a misspelt key fails too.
    @Test func manifestsValidateStrictly() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.validator.path) else {
            Issue.record("kubernetes-validate is missing at \(Self.validator.path): run `make test`, which installs it")
            return
        }
        let manifests = try Self.manifests
        #expect(manifests.map(\.lastPathComponent) == ["configmap.yaml", "job.yaml", "results-pvc.yaml", "results-reader.yaml"])
        let outcome = try await TestProcess.run(
            Self.validator, ["--strict", "--kubernetes-version", "1.37.0"] + manifests.map(\.path),
            limit: .seconds(60))
        let report = outcome.output + outcome.errors
        #expect(outcome.status == 0, "\(report)")
        #expect(report.components(separatedBy: " passed for resource ").count == manifests.count + 1, "\(report)")
        #expect(!report.contains("ERROR") && !report.contains("WARN"), "\(report)")
    }

    @Test func theJobRunsOneShardAPodWithTheSecretInItsEnvironment() throws {
        let job = try Self.load("job.yaml")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let shards = try #require(spec["completions"] as? Int)
        #expect(spec["parallelism"] as? Int == shards && shards > 1)
        #expect(spec["backoffLimit"] as? Int == 0 && spec["ttlSecondsAfterFinished"] is Int && spec["activeDeadlineSeconds"] is Int)
        let container = try Self.container(of: job)
        let environment = try #require(container["env"] as? [[String: Any]])
        #expect(environment.first { $0["name"] as? String == "SHARDS" }?["value"] as? String == "\(shards)")
        let password = try #require(environment.first { $0["name"] as? String == "TURN_PASSWORD" })
        #expect(password["value"] == nil && (password["valueFrom"] as? [String: Any])?["secretKeyRef"] != nil)
        let resources = try #require(container["resources"] as? [String: [String: Any]])
        #expect(resources["requests"]?["cpu"] as? String == resources["limits"]?["cpu"] as? String)
        #expect(resources["limits"]?["memory"] != nil)
    }

    /// The pod's shell command, run as pod 2 of 3 would run it with a stand-in turnload that
    /// records its arguments. The real turnload lists every option among them in its help, and
    /// their values, with a start time too far ahead, pass every check before that one.
    @Test func podTwoRunsShardTwoWithOptionsTurnloadAccepts() async throws {
        let binary = try TurnloadBinary()
        let job = try Self.load("job.yaml")
        let container = try Self.container(of: job)
        let script = try #require((container["args"] as? [String])?.first)
        #expect(container["command"] as? [String] == ["/bin/sh", "-c"])
        let shared = try #require(try Self.load("configmap.yaml")["data"] as? [String: String])
        let password = "pod-secret-\(UUID().uuidString.prefix(8))"
        var environment = shared
        environment["SHARDS"] = "3"
        environment["TURN_USER"] = "alice"
        environment["TURN_PASSWORD"] = password
        environment["JOB_COMPLETION_INDEX"] = "1"

        let stand = FileManager.default.temporaryDirectory.appendingPathComponent("turnload-pod-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stand) }
        try FileManager.default.createDirectory(at: stand, withIntermediateDirectories: true)
        let recorder = stand.appendingPathComponent("turnload")
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"\(stand.path)/arguments\"\n".write(to: recorder, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: recorder.path)
        environment["PATH"] = "\(stand.path):/usr/bin:/bin"
        let shell = try await TestProcess.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment, limit: .seconds(10))
        #expect(shell.status == 0, "\(shell.errors)")
        let arguments = try String(contentsOf: stand.appendingPathComponent("arguments"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)

        #expect(arguments.first == "run")
        #expect(Self.value(of: "--shard", in: arguments) == "2/3")
        #expect(Self.value(of: "--start-at", in: arguments) == shared["START_AT"])
        #expect(Self.value(of: "--target", in: arguments) == shared["TARGET"])
        #expect(Self.value(of: "--password-env", in: arguments) == "TURN_PASSWORD")
        #expect(Self.value(of: "--out", in: arguments) == "/results/\(shared["RUN"] ?? "")/shard-2")
        #expect(!arguments.contains { $0.contains(password) })

        let help = try await binary.run(["run", "--help"], limit: .seconds(20))
        let unknown = arguments.filter { $0.hasPrefix("--") && !help.output.contains("  \($0) <") }
        #expect(unknown.isEmpty, "options turnload run does not have")
        var farAhead = arguments
        let startAt = try #require(farAhead.firstIndex(of: "--start-at"))
        farAhead[startAt + 1] = String(Int(Date().timeIntervalSince1970) + 2 * 86_400)
        let checked = try await binary.run(farAhead, environment: ["TURN_PASSWORD": password], limit: .seconds(20))
        #expect(checked.status == 64)
        #expect(checked.errors.contains("is more than 24 h ahead"), "\(checked.errors)")
    }

    static func load(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "\(name) is not a YAML mapping")
    }

    static func container(of job: [String: Any]) throws -> [String: Any] {
        let template = (job["spec"] as? [String: Any])?["template"] as? [String: Any]
        let containers = (template?["spec"] as? [String: Any])?["containers"] as? [[String: Any]]
        return try #require(containers?.first, "job.yaml has no container")
    }

    static func value(of option: String, in arguments: [String]) -> String? {
        arguments.firstIndex(of: option).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
    }
}
