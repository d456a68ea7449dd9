// swift-tools-version:6.0
import PackageDescription

/// On Linux, lede allocates through tcmalloc (Debian's libtcmalloc-minimal4,
/// the library file itself, so that no -dev package is needed): a full
/// build of 10,000 articles spent 14 % of its CPU time in glibc's malloc and
/// free, and took 12 % less time and 11 % less CPU with tcmalloc (README,
/// "Performance", "The allocator").
/// Linked into the programs only, ahead of libc, so that its malloc is the
/// one every library of the process uses.
let fastMalloc: [LinkerSetting] = [.linkedLibrary(":libtcmalloc_minimal.so.4", .when(platforms: [.linux]))]

let package = Package(
    name: "lede",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lede", targets: ["lede"]),
        .library(name: "LedeCore", targets: ["LedeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // lede serve: the HTTP server, clean shutdown, and (tests only) a real HTTP client.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // cmark, the CommonMark reference implementation, from the system (libcmark-dev).
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // A few POSIX calls that Glibc's Swift overlay does not expose (renameat2).
        .target(name: "CLedeSys"),
        // Turns templates/ into Swift source so that the default theme is compiled into lede.
        .executableTarget(name: "lede-embed"),
        .plugin(
            name: "EmbedTemplatesPlugin",
            capability: .buildTool(),
            dependencies: ["lede-embed"],
            path: "Sources/EmbedTemplatesPlugin"
        ),
        // The pipeline: sources, front matter, Markdown, annotation, templates, site, output.
        .target(
            name: "LedeCore",
            dependencies: ["CCmark", "CLedeSys", .product(name: "Yams", package: "Yams")],
            plugins: ["EmbedTemplatesPlugin"]
        ),
        // lede serve: static file server, watcher, live reload (SSE), error overlay.
        .target(
            name: "LedeServe",
            dependencies: [
                "LedeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "lede",
            dependencies: ["LedeCore", "LedeServe", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            linkerSettings: fastMalloc
        ),
        // Speed benchmark of the temporal tagger (MB/s on one core).
        .executableTarget(name: "lede-bench-tagger", dependencies: ["LedeCore"]),
        // Benchmark harness (build with -c release): per-stage timings and edits
        // in a running session, for Benchmarks/bench.py.
        .executableTarget(
            name: "lede-bench",
            dependencies: ["LedeCore"],
            path: "Benchmarks/LedeBench",
            linkerSettings: fastMalloc
        ),
        .testTarget(
            name: "LedeCoreTests",
            dependencies: ["LedeCore"],
            exclude: ["Fixtures/timeml"]
        ),
        .testTarget(
            name: "LedeServeTests",
            dependencies: [
                "LedeServe", "LedeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// Fuzz targets (issue: hostile input). Built only by `.ci/fuzz`, which sets
// LEDE_FUZZ=1: LedeCore is then compiled with coverage instrumentation and the
// address sanitizer, and each target links libFuzzer, which provides main().
// A normal build does not see them.
if Context.environment["LEDE_FUZZ"] != nil {
    let sanitize = ["-sanitize=fuzzer,address"]
    for target in package.targets where target.name == "LedeCore" || target.name == "LedeServe" {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitize)]
    }
    for name in ["frontmatter", "markdown", "tagger", "template", "pathresolver"] {
        package.targets.append(.executableTarget(
            name: "lede-fuzz-\(name)",
            dependencies: name == "pathresolver" ? ["LedeServe"] : ["LedeCore"],
            path: "Sources/LedeFuzz/\(name)",
            swiftSettings: [.unsafeFlags(sanitize)],
            linkerSettings: [.unsafeFlags(sanitize + ["-use-ld=lld"])]
        ))
    }
}
