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
    /// Where the call's events go; `nil` records none.
    let logger: LeanLogger?

    /// Starts a call with `start` (given the 32 random bytes the engine takes for idempotency
    /// keys and jitter) and runs it to its end. A cancelled task ends the call in the core and
    /// throws `LeanCancellationError` with what it had sent.
    func run(_ start: (Data) throws -> NativeCall) async throws -> NativeOutcome {
        var generator = SystemRandomNumberGenerator()
        let entropy = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let call = try native { try start(entropy) }
        if logger != nil { call.recordEvents(on: true) }
        do {
            while true {
                let step: NativeStep
                do {
                    step = try native { try call.poll() }
                    log(call)
                } catch {
                    log(call)
                    throw error
                }
                switch step {
                case let .send(request):
                    try await exchange(call, request)
                case let .wait(millis):
                    try await sleep(millis)
                case let .done(outcome):
                    AttemptRecorder.current?.add(call.attempts().map(Attempt.init))
                    return outcome
                }
            }
        } catch is CancellationError {
            let report = call.interrupt(reason: "the task was cancelled")
            log(call)
            throw LeanCancellationError(report: LeanError(report))
        }
    }

    private func exchange(_ call: NativeCall, _ request: NativeRequest) async throws {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsedMs() -> UInt64 { (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000 }
        let sent = try await transport.exchange(request, timeout: timeout)
        let elapsed = elapsedMs()
        switch sent {
        case let .failed(kind, message):
            try native { try call.onTransportErrorTimed(kind: kind, message: message, elapsedMs: elapsed) }
        case let .answered(response):
            if Task.isCancelled { throw CancellationError() }
            try native { try call.onResponseTimed(response: response.toNative, elapsedMs: elapsed) }
        }
        log(call)
    }

    /// Hands the events of the last step to the logger, if there is one.
    private func log(_ call: NativeCall) {
        logger?.emit(call.takeEvents())
    }
}

/// How sending one of the core's requests ended: its answer, or the transport's failure as the
/// core takes it.
enum TransportOutcome {
    case answered(TransportResponse)
    case failed(TransportErrorKind, String)
}

extension Transport {
    /// Sends one of the core's requests. A failure is returned for the core to judge, except a
    /// cancellation, thrown as `CancellationError`: the caller ends its call instead.
    func exchange(_ request: NativeRequest, timeout: TimeInterval) async throws -> TransportOutcome {
        do {
            return .answered(try await send(TransportRequest(request), timeout: timeout))
        } catch {
            if isCancellation(error) { throw CancellationError() }
            let (kind, message) = transportFailure(error)
            return .failed(kind, message)
        }
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
