import LibFuzzerDriver
import Scenario

/// Any text as a scenario file, then as the options of `run` and `saturate` in a catalog shaped
/// like turnload's. A scenario either reads or is refused with a `ScenarioError`, whose
/// position (when it has one) is a place in the file.
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // libyaml counts CR, LF, CRLF, NEL and the Unicode separators as line breaks: at most one a byte.
    let lines = size + 1
    let scenario: Scenario
    do {
        scenario = try Scenario(yaml: text, path: "fuzz.yaml")
    } catch let error as ScenarioError {
        checkPosition(error, lines: lines)
        return 0
    } catch {
        fatalError("a scenario refused with \(error), not a ScenarioError")
    }
    _ = scenario.thresholds
    _ = scenario.prices
    for command in ["run", "saturate"] {
        do {
            let options = try scenario.options(for: command, catalog: catalog, overriddenBy: size & 1 == 0 ? [] : ["--clients", "5"])
            for option in options { _ = option.arguments }
        } catch let error as ScenarioError {
            checkPosition(error, lines: lines)
        } catch {
            fatalError("options refused with \(error), not a ScenarioError")
        }
    }
    return 0
}

private func checkPosition(_ error: ScenarioError, lines: Int) {
    guard let position = error.position else { return }
    precondition(position.line >= 1 && position.line <= lines + 1 && position.column >= 1,
                 "an error at \(position.line):\(position.column) of a \(lines)-line file: \(error)")
}

private func value(_ name: String) -> OptionCatalog.Option { .init(name: name, takesValue: true, repeatable: false) }
private func flag(_ name: String) -> OptionCatalog.Option { .init(name: name, takesValue: false, repeatable: false) }
private func repeatable(_ name: String) -> OptionCatalog.Option { .init(name: name, takesValue: true, repeatable: true) }

private let run: [OptionCatalog.Option] = [
    repeatable("target"), value("user"), value("password-env"), value("password-file"), value("secret-env"),
    value("secret-file"), value("credential-ttl"), value("clients"), value("duration"), value("ramp"), value("topology"),
    value("bitrate"), flag("vbr"), flag("cbr"), flag("dtx"), value("drain"), value("relay-impair"), value("out"),
    repeatable("threshold"), value("minutes-per-month"), value("peak-calls"),
]
private let catalog = OptionCatalog(commands: [
    "run": run,
    "saturate": run + [value("start"), value("step"), value("step-duration"), value("max-clients"), flag("past-cliff"),
                       value("hold-at"), value("hold-volume")],
])

@_cdecl("FuzzScenario_main")
public func fuzzScenarioMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzScenario)
}
