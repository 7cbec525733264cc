// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Chancery",
    // Linux only: the file watcher uses inotify and the writer renameat2; macOS is not built or tested.
    products: [
        .executable(name: "chancery", targets: ["chancery"]),
        .library(name: "Chancery", targets: ["Chancery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // The Linux calls Swift does not declare (renameat2), behind a small C shim.
        .target(name: "CPlatform"),
        .target(
            name: "Chancery",
            dependencies: [
                "CCmark",
                "CPlatform",
                .product(name: "Yams", package: "Yams"),
                "ChanceryMustache",
            ],
            resources: [.copy("Resources/DefaultTheme")]
        ),
        .target(name: "ChanceryMustache"),
        // Fuzzing (make fuzz): the harness and HTML safety scanner, and one libFuzzer executable per target.
        .target(
            name: "ChanceryFuzz",
            dependencies: ["Chancery"]
        ),
        .executableTarget(name: "fuzz-front-matter", dependencies: ["ChanceryFuzz"]),
        .executableTarget(name: "fuzz-markdown", dependencies: ["ChanceryFuzz"]),
        .executableTarget(name: "fuzz-site", dependencies: ["ChanceryFuzz"]),
        .executableTarget(
            name: "mustache-bench",
            dependencies: ["ChanceryMustache"]
        ),
        .target(
            name: "ChanceryServer",
            dependencies: [
                "Chancery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "chancery",
            dependencies: [
                "Chancery",
                "ChanceryServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // jemalloc replaces glibc's malloc in the command-line tool: a build allocates millions of small
            // values on every core, and `make bench` measured it 12–15% faster (Debian libjemalloc-dev).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "ChanceryServerTests",
            dependencies: [
                "ChanceryServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ChanceryMustacheTests",
            dependencies: ["ChanceryMustache"],
            exclude: ["Spec"]
        ),
        .testTarget(
            name: "ChanceryTests",
            dependencies: ["Chancery", "ChanceryFuzz"],
            exclude: ["Fixtures", "Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
