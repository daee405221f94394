// swift-tools-version: 6.1
// Benchmarks, a package of their own so that the main build stays lean; `make bench` runs them.
// `turnload` is a link to the main package, so that its identity does not depend on the name
// of the folder it was cloned into.
import PackageDescription

let package = Package(
    name: "turnload-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: "turnload"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "WireFormat",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TURNProtocol", package: "turnload"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/WireFormat",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
