import Foundation
#if canImport(os)
import os
#endif

/// One decision or exchange of a call (an attempt sent, an answer, a retry, a lookup, the
/// outcome) or of the OAuth token policy, as the SDK's core words it: every Lean SDK logs the
/// same lines. Nothing in it is secret: no API key, token, client secret or body, only names,
/// URL paths, statuses, request ids, error codes and your own ids.
public struct LeanEvent: Sendable, CustomStringConvertible {
    /// The core's two levels.
    public enum Level: Sendable, Equatable {
        /// Every request sent and answer received.
        case debug
        /// What a call decided (a retry, a lookup) and how it ended.
        case info
    }

    /// How much it matters: map it to your logging's levels.
    public let level: Level
    /// The event's stable name (`attempt_sent`, `retry_scheduled`, `call_finished`...).
    public let name: String
    /// The line to log, such as `sending again in 480 ms: after 503`.
    public let message: String
    /// The event as one JSON object (`event`, `level`, `message`, then its fields in camelCase:
    /// `attempt`, `status`, `requestId`, `delayMs`...), for structured logs.
    public let json: String

    init(_ event: NativeEvent) {
        // A level newer than this SDK is logged rather than lost.
        level = event.level == "debug" ? .debug : .info
        name = event.name
        message = event.message
        json = event.json
    }

    public var description: String { "\(name): \(message)" }
}

/// Where a client sends its `LeanEvent`s: pass one as `logger` to see what the SDK did (each
/// attempt, its status and request id, each retry and why). Without one the core records
/// nothing, so logging costs nothing when off. Called on the calling task, in order.
public struct LeanLogger: Sendable {
    private let handle: @Sendable (LeanEvent) -> Void

    /// A logger that hands each event to `log`.
    public init(_ log: @escaping @Sendable (LeanEvent) -> Void) {
        handle = log
    }

    /// Handles one event.
    public func log(_ event: LeanEvent) {
        handle(event)
    }

    /// Writes one line per event to standard error (`lean-sdk info retry_scheduled: ...`),
    /// skipping `debug` events unless `debug` is true: for command-line tools and Linux
    /// servers, where `os.Logger` does not exist.
    public static func standardError(debug: Bool = false) -> LeanLogger {
        LeanLogger { event in
            guard debug || event.level != .debug else { return }
            let level = event.level == .debug ? "debug" : "info"
            FileHandle.standardError.write(Data("lean-sdk \(level) \(event.name): \(event.message)\n".utf8))
        }
    }

    #if canImport(os)
    /// Logs to the unified logging system (Console, `log stream`): `debug` events as
    /// `.debug`, `info` events as `.info`. Messages are marked public: they hold no secret,
    /// and request ids are what support asks for.
    @available(macOS 11.0, iOS 14.0, tvOS 14.0, watchOS 7.0, *)
    public static func osLogger(_ logger: os.Logger = os.Logger(subsystem: "com.withlean.sdk", category: "calls")) -> LeanLogger {
        LeanLogger { event in
            switch event.level {
            case .debug: logger.debug("\(event.message, privacy: .public)")
            case .info: logger.info("\(event.message, privacy: .public)")
            }
        }
    }
    #endif

    /// Hands the core's events over, in order.
    func emit(_ events: [NativeEvent]) {
        for event in events { handle(LeanEvent(event)) }
    }
}
