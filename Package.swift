// swift-tools-version:6.0
import PackageDescription

// The import graph follows the data flow:
//   IngestCore <- NewsText <- {Fetch, Parse, Normalize, Tag, Emit, State} <- Pipeline <- ingest
// libxml2 and libcurl are reached only through the C targets, whose public headers
// are opaque: Debian's libxml2 headers pull in ICU, which clashes with Foundation's.
let package = Package(
    name: "ingest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ingest", targets: ["ingest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        // MARK: C bindings
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "CLibXML",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [.linkedLibrary("xml2"), .linkedLibrary("icui18n"), .linkedLibrary("icuuc")]
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc"),

        // MARK: Core and shared knowledge
        .target(
            name: "IngestCore",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")]
        ),
        .target(
            name: "NewsText",
            dependencies: ["IngestCore", "Yams"]
        ),

        // MARK: Stages
        .target(name: "Fetch", dependencies: ["IngestCore", "CCurl", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Parse", dependencies: ["IngestCore", "NewsText", "CLibXML", "CZlib"]),
        .target(name: "Normalize", dependencies: ["IngestCore", "NewsText"]),
        // Optimized in debug builds too: every `ingest` process compiles the taxonomy's 40,000 patterns at
        // start, which unoptimized takes about 6 s of CPU, and the CLI tests start hundreds of them at once.
        .target(
            name: "Tag", dependencies: ["IngestCore", "NewsText", "Yams"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(name: "Emit", dependencies: ["IngestCore", "CZlib"]),
        .target(name: "State", dependencies: ["IngestCore", "CSQLite"]),
        // Shared state for several workers (issue 7); only Pipeline links it.
        .target(
            name: "StatePostgres",
            dependencies: [
                "State", "IngestCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Composition
        .target(
            name: "Pipeline",
            dependencies: [
                "IngestCore", "NewsText", "Fetch", "Parse", "Normalize", "Tag", "Emit", "State", "StatePostgres", "Yams", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "ingest",
            dependencies: [
                "Pipeline", "IngestCore", "State", "StatePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Benchmarks (release builds; see README "Performance")
        // Article extraction benchmark (pages/s over corpus pages): `swift run -c release article-bench`.
        .executableTarget(name: "article-bench", dependencies: ["Parse", "IngestCore", "CLibXML", "NewsText"], path: "Sources/article-bench"),
        // Benchmark: topic tagging cost against taxonomy size (`swift run -c release tag-bench`).
        .executableTarget(name: "tag-bench", dependencies: ["Tag", "NewsText"], path: "Sources/tag-bench"),

        // Feed-parsing benchmark, issue 3 (`make bench`, `scripts/bench-parse.sh`).
        .executableTarget(name: "ingest-bench", dependencies: ["Parse", "Normalize", "Tag", "Emit", "NewsText", "IngestCore"], path: "Benchmarks/ingest-bench"),
        // Local feed server for the fetch benchmark (`scripts/bench-fetch.sh`).
        .executableTarget(name: "bench-server", dependencies: ["TestHTTPServer"], path: "Benchmarks/bench-server"),

        // MARK: Tests
        .target(name: "CTestGzip", path: "Tests/TestHTTPServer/CTestGzip"),
        .target(name: "TestHTTPServer", dependencies: ["CTestGzip"], path: "Tests/TestHTTPServer", exclude: ["CTestGzip"]),
        .testTarget(name: "CoreTests", dependencies: ["IngestCore"]),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "TestHTTPServer"]),
        .testTarget(name: "ParseTests", dependencies: ["Parse"], exclude: ["Fixtures"]),
        .testTarget(name: "NormalizeTests", dependencies: ["Normalize", "NewsText"]),
        .testTarget(name: "TagTests", dependencies: ["Tag", "NewsText"], exclude: ["Fixtures"]),
        .testTarget(name: "EmitTests", dependencies: ["Emit"]),
        .testTarget(name: "StateTests", dependencies: ["State"]),
        .testTarget(
            name: "StatePostgresTests",
            dependencies: ["StatePostgres", "State", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Fetch", "TestHTTPServer"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["TestHTTPServer"]),
    ]
)
