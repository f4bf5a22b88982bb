import Foundation

/// The platform as the `User-Agent` names it.
#if swift(>=6.0)
let platformName = "swift/6"
#else
let platformName = "swift/5"
#endif

/// Drives a call of the core's engine, of either API, through a `Transport`: sends each
/// request it asks for, waits when it says so, reports every answer or failure, until it
/// ends. Retries, idempotency keys and reconciliation are the engine's; this only moves
/// bytes. Both clients run their calls here, one generated call per step.
struct CallDriver: Sendable {
    let transport: Transport
    /// How long one attempt may take, from the client's configuration.
    let timeout: TimeInterval
    /// How to wait between attempts (milliseconds); tests record the waits instead.
    let sleep: @Sendable (UInt64) async throws -> Void

    /// Starts a call with `start` (given the 32 random bytes the engine takes for idempotency
    /// keys and jitter) and runs it to its end. A cancelled task ends the call in the core and
    /// throws `LeanCancellationError` with what it had sent.
    func run(_ start: (Data) throws -> NativeCall) async throws -> NativeOutcome {
        var generator = SystemRandomNumberGenerator()
        let entropy = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let call = try native { try start(entropy) }
        do {
            while true {
                switch try native({ try call.poll() }) {
                case let .send(request):
                    try await exchange(call, request)
                case let .wait(millis):
                    try await sleep(millis)
                case let .done(outcome):
                    return outcome
                }
            }
        } catch is CancellationError {
            throw LeanCancellationError(report: LeanError(call.interrupt(reason: "the task was cancelled")))
        }
    }

    private func exchange(_ call: NativeCall, _ request: NativeRequest) async throws {
        let response: TransportResponse
        do {
            response = try await transport.send(TransportRequest(request), timeout: timeout)
        } catch {
            if isCancellation(error) { throw CancellationError() }
            let (kind, message) = transportFailure(error)
            try native { try call.onTransportError(kind: kind, message: message) }
            return
        }
        if Task.isCancelled { throw CancellationError() }
        guard (100...599).contains(response.status) else {
            throw LeanError.internal("the transport returned HTTP status \(response.status), which is not a status code")
        }
        try native { try call.onResponse(response: response.toNative) }
    }
}

extension TransportRequest {
    init(_ r: NativeRequest) {
        self.init(method: r.method, url: r.url, headers: r.headers.map { (name: $0.name, value: $0.value) }, body: r.body)
    }
}

extension TransportResponse {
    var toNative: NativeResponse {
        NativeResponse(status: UInt16(clamping: status), headers: headers.map { NativeHeader(name: $0.name, value: $0.value) },
                       body: body)
    }
}
