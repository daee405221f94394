// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "turnload",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "turnload", targets: ["turnload"]),
        .library(name: "TURNProtocol", targets: ["TURNProtocol"]),
        // For the fuzz targets (Fuzz/Package.swift), which link the modules they fuzz.
        .library(name: "TURNClient", targets: ["TURNClient"]),
        .library(name: "Scenario", targets: ["Scenario"]),
        .library(name: "Reporting", targets: ["Reporting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "TURNProtocol",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .target(name: "Media", dependencies: ["COpus", "TURNProtocol", "RunModel", "Measurement"]),
        .target(name: "CPacketIO"),
        .target(name: "PacketIO", dependencies: ["CPacketIO", .product(name: "NIOCore", package: "swift-nio")]),
        .target(
            name: "Measurement",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // What a run is, as plain values: its status, outcome, topology, media settings, the
        // relay's counters. Reporting renders these without linking the engine.
        .target(name: "RunModel", dependencies: ["Measurement"]),
        .target(
            name: "DTLS",
            dependencies: ["TURNProtocol", "COpenSSL", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "TURNClient",
            dependencies: [
                "PacketIO",
                "TURNProtocol",
                "DTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TURNRelay",
            dependencies: [
                "PacketIO",
                "RunModel",
                "Measurement",
                "TURNProtocol",
                "DTLS",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            // As in the harness: the dynamic exclusivity checks cost on every relayed packet.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(
            name: "LoadEngine",
            dependencies: [
                "TURNProtocol", "TURNClient", "Media", "Measurement", "PacketIO", "RunModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // Measured: the dynamic exclusivity checks were 1.4% of the harness's CPU.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .target(name: "Reporting", dependencies: ["RunModel", "Measurement"]),
        // The application: a session of loads, the saturation search and hold, the in-process
        // relay's wiring, result assembly and the progress display. The command line parses
        // options into it.
        .target(
            name: "Campaign",
            dependencies: [
                "LoadEngine", "Reporting", "RunModel", "Measurement", "Media", "TURNClient", "TURNProtocol", "TURNRelay",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(name: "Scenario", dependencies: ["Measurement", .product(name: "Yams", package: "Yams")]),
        .executableTarget(
            name: "turnload",
            dependencies: [
                "TURNProtocol",
                "TURNClient",
                "TURNRelay",
                "LoadEngine",
                "Campaign",
                "Reporting",
                "RunModel",
                "Scenario",
                "Media",
                "Measurement",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport", dependencies: ["Reporting", .product(name: "Logging", package: "swift-log")], path: "Tests/TestSupport"),
        // Apart from TestSupport, so that the report tests link no NIO: EmbeddedChannel helpers.
        .target(
            name: "NIOTestSupport",
            dependencies: [
                "DTLS", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Tests/NIOTestSupport"),
        .testTarget(
            name: "TURNProtocolTests",
            dependencies: [
                "TURNProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Captures")]
        ),
        .testTarget(
            name: "TURNClientTests",
            dependencies: [
                "TURNClient", "TURNProtocol", "DTLS", "TestSupport", "NIOTestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TURNRelayTests",
            dependencies: [
                "TURNRelay", "TURNClient", "TURNProtocol", "TestSupport", "NIOTestSupport", "PacketIO", "RunModel", "Campaign", "DTLS",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PacketIOTests",
            dependencies: ["PacketIO", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "MediaTests",
            dependencies: ["Media", "COpus", "TURNProtocol", "RunModel", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "MeasurementTests", dependencies: ["Measurement"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "Measurement"]),
        .testTarget(
            name: "ReportingTests", dependencies: ["Reporting", "RunModel", "Measurement", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "CampaignTests", dependencies: ["Campaign", "Reporting", "RunModel", "Measurement"]),
        .testTarget(name: "LoadRunTests", dependencies: ["Reporting", "RunModel", "Measurement", "TestSupport"]),
        .testTarget(
            name: "LoadEngineTests",
            dependencies: [
                "LoadEngine", "Campaign", "RunModel", "Media", "TURNClient", "TURNProtocol",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "turnload", "LoadEngine", "RunModel", "Scenario", "Reporting", "Measurement", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DeployTests", dependencies: ["TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "InteropTests",
            dependencies: [
                "turnload", "Campaign", "TURNClient", "TURNProtocol", "TURNRelay", "TestSupport", "Reporting",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // Run by the aioice test with the venv's Python, not built.
            exclude: ["aioice_relay.py"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
