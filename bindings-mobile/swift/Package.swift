// swift-tools-version:5.9
// The Lean SDK for Swift, over the shared Rust core: the package the project's tests run.
// Sources/LeanSDK/Generated and Sources/LeanSDKFFI are generated from the compiled library
// and committed (bindings-mobile/scripts/swift-bindings.sh refreshes them; the Swift test
// part fails when they are stale); link with -L<dir of liblean_sdk_mobile>. SwiftPM users
// add the repository's root Package.swift, which builds these same targets (and, on Apple
// platforms, takes the Rust core from a release's XCFramework).
// On Linux the package also links libcurl (Debian: libcurl4-openssl-dev) for CurlTransport.
import PackageDescription

let package = Package(
    name: "LeanSDK",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "LeanSDK", targets: ["LeanSDK"])],
    targets: [
        .systemLibrary(name: "LeanSDKFFI", path: "Sources/LeanSDKFFI"),
        // libcurl, for CurlTransport: mutual TLS on Linux, where FoundationNetworking cannot
        // present a client certificate. Apple platforms never build or link it.
        .systemLibrary(name: "LeanSDKCurl", path: "Sources/LeanSDKCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "LeanSDK",
                dependencies: ["LeanSDKFFI", .target(name: "LeanSDKCurl", condition: .when(platforms: [.linux]))],
                path: "Sources/LeanSDK"),
        .testTarget(name: "LeanSDKTests", dependencies: ["LeanSDK"], path: "Tests/LeanSDKTests"),
    ]
)
