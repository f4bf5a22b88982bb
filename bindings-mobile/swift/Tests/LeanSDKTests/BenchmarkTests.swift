import Foundation
import XCTest
@testable import LeanSDK

/// What the Swift package's calls through the generated bindings cost (figures in
/// `BENCHMARKS.md`). Skipped unless `LEAN_BENCH` is set: `LEAN_BENCH=1
/// LEAN_SWIFT_TEST_ARGS="-c release --filter BenchmarkTests" scripts/test swift`. Each case is
/// warmed up, then timed in 9 rounds of about 300 ms; the median and best round are printed.
/// Each SDK path runs beside the plain-Swift code a user would write instead, where Linux has
/// one (it has no CryptoKit, so the webhook verify has none here). Nothing is asserted: speed is
/// measured, not tested.
final class BenchmarkTests: XCTestCase {
    /// Answers every request with the same gig, at once.
    private struct Canned: Transport {
        let body: Data
        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            TransportResponse(status: 201, headers: [(name: "content-type", value: "application/json")], body: body)
        }
    }

    /// Stops every call at its first request (a cancellation ends the call at once): the cost
    /// of validating and building it through the public client, with no network.
    private struct Capture: Transport {
        func send(_ request: TransportRequest, timeout: TimeInterval) async throws -> TransportResponse {
            throw CancellationError()
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
        let capturing = try LeanClient(apiKey: "sk_bench_key", transport: Capture())
        try await report("create-gig validate + build, up to the transport: LeanClient.createGig") {
            do {
                _ = try await capturing.createGig(gig)
                XCTFail("the call did not stop at its transport")
            } catch is LeanCancellationError {}
        }
        let authorization = "Basic " + Data("sk_bench_key:".utf8).base64EncodedString()
        try await report("hand-written Swift: same rules + JSON body + headers") {
            _ = try SwiftGig.build(gig, authorization: authorization)
        }
        try await report("part of the hand-written: the two DateFormatter parses") {
            _ = SwiftGig.times.date(from: gig.startTime)! <= SwiftGig.times.date(from: gig.endTime)!
        }
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

/// A plain-Swift equivalent of the core's gig rules and request body, as a user without the SDK
/// would write it (it neither escapes JSON strings nor builds a URL or runs a call engine).
private enum SwiftGig {
    struct Invalid: Error {}

    nonisolated(unsafe) static let times: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter
    }()

    /// The amount in cents, refusing more than two decimals and values out of range.
    static func cents(_ value: Decimal, positive: Bool) throws -> Int64 {
        var scaled = value * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, positive ? value > 0 : value >= 0 else { throw Invalid() }
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    static func identifier(_ text: String) throws -> String {
        guard !text.isEmpty, text.count <= 255, text.trimmingCharacters(in: .whitespaces) == text,
              !text.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else { throw Invalid() }
        return text
    }

    static func amount(_ cents: Int64) -> String { String(format: "%lld.%02lld", cents / 100, cents % 100) }

    static func build(_ gig: NewGig, authorization: String) throws -> Int {
        let total = try cents(gig.totalAmount, positive: true)
        let tips = try cents(gig.tips, positive: false)
        let expenses = try cents(gig.expenses, positive: false)
        guard tips + expenses <= total, !gig.description.isEmpty, gig.description.count <= 255,
              let start = times.date(from: gig.startTime), let end = times.date(from: gig.endTime), end >= start
        else { throw Invalid() }
        let body = "{\"partnerUserId\":\"\(try identifier(gig.partnerUserId))\",\"totalAmount\":\"\(amount(total))\"," +
            "\"tips\":\"\(amount(tips))\",\"expenses\":\"\(amount(expenses))\",\"description\":\"\(gig.description)\"," +
            "\"gigId\":\"\(try identifier(gig.gigId))\",\"startTime\":\"\(gig.startTime)\",\"endTime\":\"\(gig.endTime)\"}"
        let headers = [("authorization", authorization), ("accept", "application/json"),
                       ("user-agent", "bench"), ("content-type", "application/json")]
        return body.utf8.count + headers.count
    }
}
