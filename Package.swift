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
        // Speed benchmark of the temporal tagger (MB/s on one core).
        .executableTarget(name: "lede-bench-tagger", dependencies: ["LedeCore"]),
        .testTarget(
            name: "LedeCoreTests",
            dependencies: ["LedeCore"],
            exclude: ["Fixtures/timeml"]
        ),
    ]
)

// Fuzz targets (issue: hostile input). Built only by `.ci/fuzz`, which sets
// LEDE_FUZZ=1: LedeCore is then compiled with coverage instrumentation and the
// address sanitizer, and each target links libFuzzer, which provides main().
// A normal build does not see them.
if Context.environment["LEDE_FUZZ"] != nil {
    let sanitize = ["-sanitize=fuzzer,address"]
    for target in package.targets where target.name == "LedeCore" {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitize)]
    }
    for name in ["frontmatter", "markdown", "tagger", "template"] {
        package.targets.append(.executableTarget(
            name: "lede-fuzz-\(name)",
            dependencies: ["LedeCore"],
            path: "Sources/LedeFuzz/\(name)",
            swiftSettings: [.unsafeFlags(sanitize)],
            linkerSettings: [.unsafeFlags(sanitize + ["-use-ld=lld"])]
        ))
    }
}
