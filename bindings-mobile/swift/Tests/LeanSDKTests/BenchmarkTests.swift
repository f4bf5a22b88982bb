import Foundation
import XCTest
@testable import LeanSDK

/// What the Swift package's calls through the generated bindings cost (figures in
/// `BENCHMARKS.md`). Skipped unless `LEAN_BENCH` is set: `LEAN_BENCH=1
/// LEAN_SWIFT_TEST_ARGS="-c release --filter BenchmarkTests" scripts/test swift`. Each case is
/// warmed up, then timed in 9 rounds of about 300 ms; the median and best round are printed.
/// Nothing is asserted: speed is measured, not tested.
final class BenchmarkTests: XCTestCase {
    /// Answers every request with the same gig, at once.
    private struct Canned: Transport {
        let body: Data
        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            TransportResponse(status: 201, headers: [(name: "content-type", value: "application/json")], body: body)
        }
    }

    func testCosts() async throws {
        try XCTSkipIf((ProcessInfo.processInfo.environment["LEAN_BENCH"] ?? "").isEmpty, "set LEAN_BENCH to measure")
        let secret = "whsec_bench_secret"
        var text = #"{"event":"gig.completed","data":{"gigId":"g","description":""#
        text += String(repeating: "x", count: 1024)
        let body = Data(text.utf8.prefix(1024))
        let signature = try Webhooks.sign(secret: secret, payload: body)
        let verifier = try Webhooks.Verifier(secrets: [secret])
        try await report("webhook verify, 1 KiB: Webhooks.Verifier.verify") { try verifier.verify(payload: body, signature: signature) }
        try await report("one generated call: boundaryProbe(Data())") { _ = boundaryProbe(payload: Data()) }

        let gig = NewGig(partnerUserId: "uid_847834395730535", totalAmount: Decimal(string: "15.00")!, tips: 3,
                         expenses: 2, description: "Gig Payout", gigId: "gigId_94792357823953532",
                         startTime: "2021-03-01T21:04:04", endTime: "2021-03-01T21:31:05")
        let answer = Data(#"{"gigId":"gigId_94792357823953532","partnerUserId":"uid_847834395730535","totalAmount":"15.00","tips":"3.00","expenses":"2.00","description":"Gig Payout","startTime":"2021-03-01T21:04:04","endTime":"2021-03-01T21:31:05","status":"PENDING"}"#.utf8)
        let client = try LeanClient(apiKey: "sk_bench_key", transport: Canned(body: answer))
        try await report("create-gig, whole call with a canned 201 answer: LeanClient.createGig") { _ = try await client.createGig(gig) }
        let config = try NativeConfig(apiKey: "sk_bench_key", environment: "sandbox", baseUrl: nil, maxRetries: nil, host: "bench")
        try await report("part: NativeOperation.createGig(gig).request(config)") {
            _ = try NativeOperation.createGig(input: gig).request(config: config)
        }
    }

    private func report(_ name: String, _ body: () async throws -> Void) async throws {
        func round(_ budget: UInt64) async throws -> Double {
            var ops = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var now = start
            while now - start < budget {
                for _ in 0..<100 { try await body() }
                ops += 100
                now = DispatchTime.now().uptimeNanoseconds
            }
            return Double(now - start) / Double(ops)
        }
        _ = try await round(1_000_000_000)
        var times: [Double] = []
        for _ in 0..<9 { times.append(try await round(300_000_000)) }
        times.sort()
        print(String(format: "BENCH %@: median %.0f ns/op, best %.0f ns/op", name, times[4], times[0]))
    }
}
