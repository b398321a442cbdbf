// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Lineage",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lineage", targets: ["lineage"]),
        .library(name: "LineageKit", targets: ["LineageKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLinearAlgebra",
            providers: [.apt(["libblas-dev", "liblapacke-dev"])]
        ),
        .target(name: "CFeatureKernels"),
        .target(
            name: "LineageKit",
            dependencies: [
                "CLinearAlgebra",
                "CFeatureKernels",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: [
                "Embedding/README.md", "Embedding/Model/README.md", "Embedding/Structure/README.md",
                "Embedding/Featurizing/README.md", "Embedding/Cache/README.md", "IdentityClaims/README.md",
            ],
            resources: [
                .copy("Embedding/Resources/ngram-v3.lnm"), .copy("Embedding/Resources/ngram-v3.lnm.sha256"),
                .copy("Embedding/Resources/ngram-v2.lnm"), .copy("Embedding/Resources/ngram-v2.lnm.sha256"),
                .copy("Embedding/Resources/ngram-v1.lnm"), .copy("Embedding/Resources/ngram-v1.lnm.sha256"),
            ]
        ),
        .executableTarget(
            name: "lineage",
            dependencies: [
                "LineageKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LineageKitTests",
            dependencies: ["LineageKit"]
        ),
        .testTarget(
            name: "LineageCLITests",
            dependencies: ["LineageKit"]
        ),
    ]
)
