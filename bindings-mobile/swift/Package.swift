// swift-tools-version:5.9
// The Lean SDK for Swift, over the shared Rust core. The build script
// (bindings-mobile/scripts/generate.sh swift, run by scripts/test.d/60-swift.sh)
// generates Sources/LeanSDK/Generated and Sources/LeanSDKFFI from the compiled
// library; link with -L<dir of liblean_sdk_mobile>. Releases for Apple
// platforms use the XCFramework package that scripts/build-xcframework.sh writes.
import PackageDescription

let package = Package(
    name: "LeanSDK",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "LeanSDK", targets: ["LeanSDK"])],
    targets: [
        .systemLibrary(name: "LeanSDKFFI", path: "Sources/LeanSDKFFI"),
        .target(name: "LeanSDK", dependencies: ["LeanSDKFFI"], path: "Sources/LeanSDK"),
        .testTarget(name: "LeanSDKTests", dependencies: ["LeanSDK"], path: "Tests/LeanSDKTests"),
    ]
)
