// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Gyre",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gyre", targets: ["gyre"]),
        .library(name: "GyreCore", targets: ["GyreCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Debian's libyaml, linked the way GRDB links SQLite: no vendored copy.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "GyreCore",
            dependencies: [
                "CYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Selection fingerprints and format parsing run on every frame of a
            // run: optimised even in debug builds, like GyreBuiltin.
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "GyreBuiltin",
            dependencies: ["GyreCore"],
            // The built-in engines are numerics run as task commands: even a
            // debug build (`swift run`, `swift test`) compiles them optimised,
            // or the quickstart's molecular dynamics runs ~30× slower.
            swiftSettings: [.unsafeFlags(["-O"])]
        ),
        .executableTarget(
            name: "gyre",
            dependencies: [
                "GyreCore",
                "GyreBuiltin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "gyre-bench",
            dependencies: [
                "GyreCore",
                "GyreBuiltin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What several test targets share: running the tools they compare with.
        .target(
            name: "GyreTestSupport",
            dependencies: ["GyreCore"],
            path: "Tests/GyreTestSupport"
        ),
        .testTarget(
            name: "GyreCoreTests",
            dependencies: ["GyreCore", "GyreTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GyreBuiltinTests",
            dependencies: ["GyreBuiltin", "GyreCore", "GyreTestSupport"]
        ),
        .testTarget(
            name: "GyreCLITests",
            dependencies: ["GyreCore", "GyreTestSupport"]
        ),
    ]
)
