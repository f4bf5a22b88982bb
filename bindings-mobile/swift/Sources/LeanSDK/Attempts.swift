import Foundation

/// One request a call sent and how it ended. Its `requestId` is what Lean's support asks
/// for; every error carries its call's attempts (`LeanError.attempts`), and `withAttempts`
/// gives those of a successful call.
public struct Attempt: Sendable, Equatable {
    /// 1 for the call's first request, lookups counted.
    public let number: Int
    /// The operation, or the lookup of what an uncertain create made.
    public let phase: AttemptPhase
    /// The answer's HTTP status; `nil` when no answer came.
    public let status: Int?
    /// The answer's request id header (`x-request-id`), when it had one.
    public let requestId: String?
    /// How the attempt failed below HTTP, when it did.
    public let transportError: TransportFailure.Kind?
    /// How long it took, from handing the request to the transport to its answer or failure.
    public let elapsedMs: UInt64?

    public init(number: Int, phase: AttemptPhase, status: Int?, requestId: String?,
                transportError: TransportFailure.Kind?, elapsedMs: UInt64?) {
        self.number = number
        self.phase = phase
        self.status = status
        self.requestId = requestId
        self.transportError = transportError
        self.elapsedMs = elapsedMs
    }

    init(_ a: NativeAttempt) {
        let kind: TransportFailure.Kind? = switch a.transportError {
        case .connect: .connect
        case .timeout: .timeout
        case .other: .other
        case nil: nil
        }
        self.init(number: Int(a.number), phase: a.phase, status: a.status.map(Int.init), requestId: a.requestId,
                  transportError: kind, elapsedMs: a.elapsedMs)
    }
}


/// Runs `body` and returns its value with the attempts of the SDK calls it made, in order (a
/// call's own are numbered from 1): wrap one call to see the statuses and request ids behind
/// its result, e.g. `let (gig, attempts) = try await withAttempts { try await lean.createGig(newGig) }`.
/// The attempts are collected through a task-local value, so calls of other tasks do not mix
/// in. A call that fails carries its attempts in `LeanError.attempts` instead.
public func withAttempts<T>(_ body: () async throws -> T) async rethrows -> (value: T, attempts: [Attempt]) {
    let recorder = AttemptRecorder()
    let value = try await AttemptRecorder.$current.withValue(recorder) { try await body() }
    return (value, recorder.attempts)
}

/// Collects the attempts of the calls that succeed inside `withAttempts`.
final class AttemptRecorder: @unchecked Sendable {
    @TaskLocal static var current: AttemptRecorder?

    private let lock = NSLock()
    private var recorded: [Attempt] = []

    func add(_ attempts: [Attempt]) {
        lock.lock()
        defer { lock.unlock() }
        recorded += attempts
    }

    var attempts: [Attempt] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
