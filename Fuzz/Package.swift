// swift-tools-version: 6.1
// libFuzzer targets, a package of their own because every module, the library under test
// included, must be built with `-sanitize=fuzzer`; `run` builds and runs them.
// `turnload` is a link to the main package, so that its identity does not depend on the name
// of the folder it was cloned into.
import PackageDescription

let fuzzerFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "turnload-fuzz",
    dependencies: [.package(path: "turnload")],
    targets: [
        .target(name: "LibFuzzerDriver"),
        .executableTarget(
            name: "FuzzSTUN",
            dependencies: ["LibFuzzerDriver", .product(name: "TURNProtocol", package: "turnload")],
            swiftSettings: fuzzerFlags
        ),
        .executableTarget(
            name: "FuzzDeframer",
            dependencies: ["LibFuzzerDriver", .product(name: "TURNProtocol", package: "turnload")],
            swiftSettings: fuzzerFlags
        ),
        .executableTarget(
            name: "FuzzRTP",
            dependencies: ["LibFuzzerDriver", .product(name: "TURNProtocol", package: "turnload")],
            swiftSettings: fuzzerFlags
        ),
        .executableTarget(
            name: "FuzzTURNSession",
            dependencies: [
                "LibFuzzerDriver",
                .product(name: "TURNProtocol", package: "turnload"),
                .product(name: "TURNClient", package: "turnload"),
            ],
            swiftSettings: fuzzerFlags
        ),
        .executableTarget(
            name: "FuzzScenario",
            dependencies: ["LibFuzzerDriver", .product(name: "Scenario", package: "turnload")],
            swiftSettings: fuzzerFlags
        ),
        .executableTarget(
            name: "FuzzResult",
            dependencies: ["LibFuzzerDriver", .product(name: "Reporting", package: "turnload")],
            swiftSettings: fuzzerFlags
        ),
    ],
    swiftLanguageModes: [.v6]
)
