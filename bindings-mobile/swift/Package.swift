// swift-tools-version:5.9
// The Lean SDK for Swift, over the shared Rust core. The build script
// (bindings-mobile/scripts/generate.sh swift, run by scripts/test.d/60-swift.sh)
// generates Sources/LeanSDK/Generated and Sources/LeanSDKFFI from the compiled
// library; link with -L<dir of liblean_sdk_mobile>. Releases for Apple
// platforms use the XCFramework package that scripts/build-xcframework.sh writes.
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
