// swift-tools-version:5.9
// The Lean SDK for Swift, for SwiftPM users who add this repository by URL
// (https://github.com/lean-sdk/lean-sdk). The sources live in bindings-mobile/swift/, whose
// own Package.swift is the one the project's tests run; both build the same targets.
//
// The Rust core (C module LeanSDKFFI) comes:
// - on Apple platforms, as the XCFramework of a release (a binary target: its URL and
//   checksum below are written by `scripts/release xcframework`, which needs macOS with Xcode);
// - on Linux, as the shared library liblean_sdk_mobile.so, which you build
//   (`cargo build --release -p lean-sdk-mobile`) and link with
//   `swift build -Xlinker -L<its directory>` (and LD_LIBRARY_PATH at run time), or install on
//   the library path. libcurl's headers are needed too (Debian: libcurl4-openssl-dev).
import PackageDescription

let version = "0.1.0"
let xcframeworkChecksum = "0000000000000000000000000000000000000000000000000000000000000000"

#if os(Linux)
let ffi: Target = .systemLibrary(name: "LeanSDKFFI", path: "bindings-mobile/swift/Sources/LeanSDKFFI")
#else
let ffi: Target = .binaryTarget(
    name: "LeanSDKFFI",
    url: "https://github.com/lean-sdk/lean-sdk/releases/download/v\(version)/LeanSDKFFI.xcframework.zip",
    checksum: xcframeworkChecksum)
#endif

let package = Package(
    name: "LeanSDK",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "LeanSDK", targets: ["LeanSDK"])],
    targets: [
        ffi,
        // libcurl, for CurlTransport: mutual TLS on Linux, where FoundationNetworking cannot
        // present a client certificate. Apple platforms never build or link it.
        .systemLibrary(name: "LeanSDKCurl", path: "bindings-mobile/swift/Sources/LeanSDKCurl",
                       pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "LeanSDK",
                dependencies: ["LeanSDKFFI", .target(name: "LeanSDKCurl", condition: .when(platforms: [.linux]))],
                path: "bindings-mobile/swift/Sources/LeanSDK"),
    ]
)
