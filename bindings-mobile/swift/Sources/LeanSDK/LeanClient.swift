import Foundation

/// Which Lean deployment to talk to.
public enum Environment: String, Sendable {
    /// Staging: no real money; the application endpoint exists.
    case sandbox
    /// Real payouts (keys work only from allow-listed IP addresses).
    case production

    /// The environment named by configuration text (`"sandbox"`, `"production"`, any case);
    /// throws a `configuration` error for anything else.
    public static func parse(_ name: String) throws -> Environment {
        let canonical = try native { try parseEnvironment(name: name) }
        return Environment(rawValue: canonical) ?? .sandbox
    }
}

/// A client of the Lean Payouts API. Every method validates its input with the server's own
/// rules (throwing a `validation` error listing every failing field before anything is
/// sent), then sends it through the transport, retrying what is safe to retry: special
/// payments carry one `Idempotency-Key` on every attempt, and a gig whose create may have
/// been applied is looked up before anything is reported, so it is never paid twice.
public final class LeanClient: CustomStringConvertible, CustomReflectable, @unchecked Sendable {
    private let config: NativeConfig
    private let driver: CallDriver

    /// - Parameters:
    ///   - apiKey: the key Lean gave you; it never appears in descriptions, logs or errors.
    ///   - baseUrl: another base URL (https, or http on loopback such as the local sandbox).
    ///   - maxRetries: retries after the first attempt (default 2).
    ///   - logger: receives each call's events (attempts, answers with their request ids,
    ///     retries, lookups, outcomes), e.g. `.osLogger()` or `.standardError()`; none are
    ///     recorded without one.
    ///   - dangerouslyAllowSecretsOnDevice: lets the client start inside an iOS app. Without it,
    ///     it throws `LeanError.configuration` there: anyone who has the app can extract the API
    ///     key and pay out money in your name. Keep the key on your backend and call Lean from
    ///     there; in the app, validate forms offline with `validate` and call your own API.
    public convenience init(apiKey: String, environment: Environment = .sandbox, baseUrl: String? = nil,
                            transport: Transport = URLSessionTransport(), maxRetries: UInt32? = nil,
                            logger: LeanLogger? = nil, dangerouslyAllowSecretsOnDevice: Bool = false) throws {
        try self.init(apiKey: apiKey, environment: environment, baseUrl: baseUrl, transport: transport,
                      maxRetries: maxRetries, sleep: { try await Task.sleep(nanoseconds: $0 * 1_000_000) },
                      logger: logger, dangerouslyAllowSecretsOnDevice: dangerouslyAllowSecretsOnDevice)
    }

    /// As above, with the wait between attempts replaceable (tests record it).
    init(apiKey: String, environment: Environment, baseUrl: String?, transport: Transport,
         maxRetries: UInt32?, sleep: @escaping @Sendable (UInt64) async throws -> Void,
         logger: LeanLogger? = nil, dangerouslyAllowSecretsOnDevice: Bool = false) throws {
        try Device.check(.apiKey, allowed: dangerouslyAllowSecretsOnDevice)
        config = try native {
            try NativeConfig(apiKey: apiKey, environment: environment.rawValue, baseUrl: baseUrl,
                             maxRetries: maxRetries, host: platformName)
        }
        driver = CallDriver(transport: transport, timeout: TimeInterval(config.timeoutMs()) / 1000, sleep: sleep,
                            logger: logger)
    }

    /// Never shows the API key.
    public var description: String { "LeanClient(\(config.describe()))" }
    /// `dump` shows the description only: never the key.
    public var customMirror: Mirror { Mirror(self, children: ["client": description]) }

    /// Registers a worker (`POST /customer`).
    public func createCustomer(_ input: NewCustomer) async throws -> Customer {
        try customer(await run(try native { try NativeOperation.createCustomer(input: input) }))
    }

    /// Reads a worker by your own id.
    public func getCustomer(_ partnerUserId: String) async throws -> Customer {
        try customer(await run(try native { try NativeOperation.getCustomer(partnerUserId: partnerUserId) }))
    }

    /// Changes a worker still `PENDING` (`PATCH /customer/:id`).
    public func updateCustomer(_ partnerUserId: String, _ update: CustomerUpdate) async throws -> Customer {
        try customer(await run(try native {
            try NativeOperation.updateCustomer(partnerUserId: partnerUserId, update: update)
        }))
    }

    /// Submits a worker's application (sandbox only: in production the worker does it).
    public func submitApplication(_ partnerUserId: String) async throws -> Application {
        let outcome = try await run(try native { try NativeOperation.submitApplication(partnerUserId: partnerUserId) })
        guard case let .application(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    /// Pays a gig (`POST /gig`); the same `gigId` never pays twice.
    public func createGig(_ input: NewGig) async throws -> Gig {
        try gig(await run(try native { try NativeOperation.createGig(input: input) }))
    }

    /// Reads a gig by your own id.
    public func getGig(_ gigId: String) async throws -> Gig {
        try gig(await run(try native { try NativeOperation.getGig(gigId: gigId) }))
    }

    /// Lists your gigs.
    public func listGigs() async throws -> [Gig] {
        let outcome = try await run(try native { try NativeOperation.listGigs() })
        guard case let .gigs(values) = outcome else { throw unexpected(outcome) }
        return values
    }

    /// Makes a special payment. Pass your own `idempotencyKey` (from your own payment id) so
    /// that running the same code again, even after a restart, never pays twice.
    public func createSpecialPayment(_ input: NewSpecialPayment, idempotencyKey: String? = nil) async throws -> SpecialPayment {
        try payment(await run(try native {
            try NativeOperation.createSpecialPayment(input: input, idempotencyKey: idempotencyKey)
        }))
    }

    /// Reads a special payment by Lean's id.
    public func getSpecialPayment(_ id: String) async throws -> SpecialPayment {
        try payment(await run(try native { try NativeOperation.getSpecialPayment(id: id) }))
    }

    /// Lists your special payments.
    public func listSpecialPayments() async throws -> [SpecialPayment] {
        let outcome = try await run(try native { try NativeOperation.listSpecialPayments() })
        guard case let .specialPayments(values) = outcome else { throw unexpected(outcome) }
        return values
    }

    /// Runs an operation in the host-neutral form every Lean SDK shares, for tools and
    /// server-driven forms: `["operation": "createGig", "input": [...]]`, with `partnerUserId`,
    /// `gigId`, `id` or `idempotencyKey` as the operation needs. Amounts as `Decimal` or text.
    /// Returns a `Customer`, `Gig`, `SpecialPayment`, `Application`, or an array of them.
    public func execute(_ call: [String: Any?]) async throws -> Any {
        try await execute(json: JSONText.write(call))
    }

    /// `execute` with the call already written as JSON text.
    public func execute(json: String) async throws -> Any {
        switch try await run(try native { try NativeOperation.fromJson(json: json) }) {
        case let .customer(value): return value
        case let .application(value): return value
        case let .gig(value): return value
        case let .gigs(values): return values
        case let .specialPayment(value): return value
        case let .specialPayments(values): return values
        }
    }

    /// Drives the core's call engine: send, wait, report, until it is done.
    private func run(_ operation: NativeOperation) async throws -> Outcome {
        let done = try await driver.run { try config.start(operation: operation, entropy: $0) }
        guard case let .payouts(outcome) = done else {
            throw LeanError.internal("internal error in lean-sdk (please report it): an open-banking result")
        }
        return outcome
    }

    private func customer(_ outcome: Outcome) throws -> Customer {
        guard case let .customer(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private func gig(_ outcome: Outcome) throws -> Gig {
        guard case let .gig(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private func payment(_ outcome: Outcome) throws -> SpecialPayment {
        guard case let .specialPayment(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private func unexpected(_ outcome: Outcome) -> LeanError {
        LeanError.internal("internal error in lean-sdk (please report it): unexpected result \(outcome)")
    }
}
