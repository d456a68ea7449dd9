// swift-tools-version:6.1
// Microbenchmarks of lede's per-page stages (front matter, cmark, annotate,
// the temporal tagger, the article page), with ordo-one/benchmark. A package of
// its own, so that building and testing lede never builds the benchmark
// library. From this folder:
//
//   swift package --allow-writing-to-package-directory benchmark
//   swift package --allow-writing-to-package-directory benchmark baseline update main
//   swift package benchmark baseline check main        # fails on a regression
import PackageDescription

let package = Package(
    name: "lede-microbenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "lede", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Stages",
            dependencies: [
                .product(name: "LedeCore", package: "lede"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
