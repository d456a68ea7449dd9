// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lede",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lede", targets: ["lede"]),
        .library(name: "LedeCore", targets: ["LedeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        .executableTarget(
            name: "lede",
            dependencies: ["LedeCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmark harness (build with -c release): per-stage timings and edits
        // in a running session, for Benchmarks/bench.py.
        .executableTarget(
            name: "lede-bench",
            dependencies: ["LedeCore"],
            path: "Benchmarks/LedeBench"
        ),
        .testTarget(
            name: "LedeCoreTests",
            dependencies: ["LedeCore"]
        ),
    ]
)
