import Foundation

/// A client of Lean's open-banking API (bank data and payments), beside the payouts
/// `LeanClient` and on the same core: each method validates its input with the API's rules
/// (a `validation` error with every failing field before anything is sent), then drives the
/// core's call engine over `transport`: reads and data calls are retried, `createCustomer` is
/// made idempotent by a lookup of its `app_user_id`, and an uncertain payment create is
/// reported (`outcomeUnknown`), never repeated. Errors are `LeanError`, with `apiCode`.
public final class OpenBankingClient: CustomStringConvertible, CustomReflectable, @unchecked Sendable {
    /// Where calls go.
    public let environment: OpenBanking.Environment
    private let auth: OpenBanking.Auth
    private let config: NativeObConfig
    private let transport: Transport
    private let tokens: Tokens?
    private let driver: CallDriver

    /// - Parameters:
    ///   - auth: `.appToken`, `.clientCredentials` or `.accessToken`.
    ///   - environment: `.uaeSandbox` by default.
    ///   - mtls: the client certificate, required by production environments: a client built
    ///     for one without it (and without a `transport` of your own) throws here.
    ///   - transport: replaces the default: `URLSessionTransport`, or with `mtls` on Linux
    ///     `CurlTransport` (FoundationNetworking cannot present a client certificate).
    ///   - maxRetries: retries after the first attempt (default 2).
    ///   - logger: receives each call's events and the token policy's (fetches, renewals, a
    ///     refused token), e.g. `.osLogger()` or `.standardError()`; none are recorded without one.
    ///   - dangerouslyAllowSecretsOnDevice: lets a client holding a partner secret
    ///     (`.clientCredentials`, or `mtls` with its private key) start inside an iOS app. Without
    ///     it, it throws `LeanError.configuration` there: anyone who has the app can extract
    ///     them. The app token (`.appToken`) is meant for devices and needs no opt-in.
    public convenience init(auth: OpenBanking.Auth, environment: OpenBanking.Environment = .uaeSandbox,
                            mtls: OpenBanking.MtlsCredentials? = nil, transport: Transport? = nil,
                            maxRetries: UInt32? = nil, logger: LeanLogger? = nil,
                            dangerouslyAllowSecretsOnDevice: Bool = false) throws {
        try self.init(auth: auth, environment: environment, mtls: mtls, transport: transport, maxRetries: maxRetries,
                      initialBackoffMs: nil, sleep: { try await Task.sleep(nanoseconds: $0 * 1_000_000) }, clock: { Date() },
                      logger: logger, dangerouslyAllowSecretsOnDevice: dangerouslyAllowSecretsOnDevice)
    }

    init(auth: OpenBanking.Auth, environment: OpenBanking.Environment, mtls: OpenBanking.MtlsCredentials?,
         transport: Transport?, maxRetries: UInt32?, initialBackoffMs: UInt64?,
         sleep: @escaping @Sendable (UInt64) async throws -> Void, clock: @escaping @Sendable () -> Date,
         logger: LeanLogger? = nil, dangerouslyAllowSecretsOnDevice: Bool = false) throws {
        if case .credentials = auth.kind {
            try Device.check(.clientSecret, allowed: dangerouslyAllowSecretsOnDevice)
        }
        if mtls != nil {
            try Device.check(.certificateKey, allowed: dangerouslyAllowSecretsOnDevice)
        }
        if environment.requiresMtls && mtls == nil && transport == nil {
            throw LeanError.configuration(
                "\(environment.name) requires mutual TLS: pass mtls: \(Self.mtlsForm) with the certificate " +
                    "Lean issued for your application")
        }
        if mtls != nil && transport != nil {
            throw LeanError.configuration(
                "pass either mtls (presented by the default transport) or your own transport configured with the " +
                    "certificate, not both: the certificate would not be used")
        }
        if let transport {
            self.transport = transport
        } else if let mtls {
            #if os(Linux)
            self.transport = try CurlTransport(mtls: mtls)
            #else
            self.transport = try URLSessionTransport(mtls: mtls)
            #endif
        } else {
            self.transport = URLSessionTransport()
        }
        config = try native {
            try NativeObConfig(environment: environment.handle, maxRetries: maxRetries,
                               initialBackoffMs: initialBackoffMs, host: platformName)
        }
        if case let .credentials(clientId, secret, customerId, marginMs) = auth.kind {
            let policy = try native {
                try NativeTokenPolicy(clientId: clientId, clientSecret: secret, environment: environment.handle,
                                      customerId: customerId, renewalMarginMs: marginMs)
            }
            tokens = Tokens(policy: policy, clock: clock, logger: logger)
        } else {
            tokens = nil
        }
        self.environment = environment
        self.auth = auth
        driver = CallDriver(transport: self.transport, timeout: TimeInterval(config.timeoutMs()) / 1000, sleep: sleep,
                            logger: logger)
    }

    #if os(Linux)
    private static let mtlsForm = ".pemFiles(...) or .pem(...)"
    #else
    private static let mtlsForm = ".pkcs12(...)"
    #endif

    public var description: String { "OpenBankingClient(\(environment.name), \(environment.apiBaseUrl), \(auth))" }
    /// `dump` shows the description only: never a token or secret.
    public var customMirror: Mirror { Mirror(self, children: ["client": description]) }

    /// Mints an access token limited to one customer (scope `customer.<id>`) with this client's
    /// `.clientCredentials`: the backend half of the Link SDK flow. Hand only the token's
    /// `accessToken` to the app on that customer's device, never the client secret. Sent once: a
    /// transport failure throws a `transport` error, a refusal the API error. The client's own
    /// token is not touched; a client without client credentials throws `configuration`.
    public func customerToken(_ customerId: String) async throws -> OpenBanking.OAuthToken {
        guard let tokens else {
            throw LeanError.configuration(
                "customerToken needs OAuth client credentials: build the client with " +
                    ".clientCredentials(clientId:clientSecret:)")
        }
        return try await tokens.customer(customerId, transport: transport, timeout: timeout)
    }

    /// Creates a customer; creating the same `appUserId` again returns the existing one.
    public func createCustomer(_ customer: OpenBanking.NewCustomer) async throws -> OpenBanking.Customer {
        try Self.customer(await run("createCustomer", ["input": customer.json]).0)
    }

    /// Reads a customer by Lean's id.
    public func getCustomer(_ customerId: String) async throws -> OpenBanking.Customer {
        try Self.customer(await run("getCustomer", ["customerId": customerId]).0)
    }

    /// Reads a customer by your own id of the user.
    public func getCustomerByAppUserId(_ appUserId: String) async throws -> OpenBanking.Customer {
        try Self.customer(await run("getCustomerByAppUserId", ["appUserId": appUserId]).0)
    }

    /// Lists customers, a page at a time (pages from 0).
    public func listCustomers(pageNumber: Int? = nil, pageSize: Int? = nil) async throws -> OpenBanking.CustomerPage {
        let (outcome, json) = try await run("listCustomers", Self.paging(pageNumber, pageSize))
        guard case let .customers(page) = outcome else { throw Self.unexpected(outcome) }
        return OpenBanking.CustomerPage(customers: page.customers, json: json)
    }

    /// The banks a customer connected (through the Link SDK).
    public func listEntities(customerId: String) async throws -> [OpenBanking.Entity] {
        let (outcome, _) = try await run("listEntities", ["customerId": customerId])
        guard case let .entities(values) = outcome else { throw Self.unexpected(outcome) }
        return values
    }

    /// One connected bank of a customer.
    public func getEntity(customerId: String, entityId: String) async throws -> OpenBanking.Entity {
        let (outcome, _) = try await run("getEntity", ["customerId": customerId, "entityId": entityId])
        guard case let .entity(value) = outcome else { throw Self.unexpected(outcome) }
        return value
    }

    /// The account holder's identity. With `async`, see `DataResult.isPending`.
    public func getIdentity(entityId: String, async: Bool = false) async throws -> OpenBanking.DataResult {
        try await data("getIdentity", entityId, nil, async)
    }

    /// The entity's accounts.
    public func getAccounts(entityId: String, async: Bool = false) async throws -> OpenBanking.DataResult {
        try await data("getAccounts", entityId, nil, async)
    }

    /// One account's balance.
    public func getBalance(entityId: String, accountId: String, async: Bool = false) async throws -> OpenBanking.DataResult {
        try await data("getBalance", entityId, accountId, async)
    }

    /// One account's transactions, asked of the bank now; `startDate` and `endDate`
    /// (`YYYY-MM-DD`, both included) narrow them to a period, and `insights` asks Lean for its
    /// income and spending summaries beside them.
    public func getTransactions(entityId: String, accountId: String, async: Bool = false,
                                startDate: String? = nil, endDate: String? = nil,
                                insights: Bool = false) async throws -> OpenBanking.DataResult {
        var more: [String: Any?] = [:]
        if let startDate { more["start_date"] = startDate }
        if let endDate { more["end_date"] = endDate }
        if insights { more["insights"] = true }
        return try await data("getTransactions", entityId, accountId, async, more)
    }

    /// The results of an asynchronous data call, once `results.ready` named `resultsId`.
    public func getDataResults(_ resultsId: String) async throws -> OpenBanking.DataResult {
        try Self.dataResult(await run("getDataResults", ["resultsId": resultsId]).0)
    }

    /// Creates a payment intent; never repeated when its outcome is unknown.
    public func createPaymentIntent(_ intent: OpenBanking.NewPaymentIntent) async throws -> OpenBanking.PaymentIntent {
        try Self.paymentIntent(await run("createPaymentIntent", ["input": intent.json]).0)
    }

    /// Reads a payment intent.
    public func getPaymentIntent(_ paymentIntentId: String) async throws -> OpenBanking.PaymentIntent {
        try Self.paymentIntent(await run("getPaymentIntent", ["paymentIntentId": paymentIntentId]).0)
    }

    /// Saves a payment destination (beneficiary account).
    public func createPaymentDestination(_ destination: OpenBanking.NewDestination) async throws -> OpenBanking.Destination {
        let (outcome, _) = try await run("createPaymentDestination", ["input": destination.json])
        guard case let .destination(value) = outcome else { throw Self.unexpected(outcome) }
        return value
    }

    /// The application's payment destinations.
    public func listPaymentDestinations() async throws -> [OpenBanking.Destination] {
        let (outcome, _) = try await run("listPaymentDestinations", [:])
        guard case let .destinations(values) = outcome else { throw Self.unexpected(outcome) }
        return values
    }

    /// The banks Lean supports, for a bank picker of your own; only those offering
    /// `accountTypes` (`PERSONAL`, `BUSINESS`) when given.
    public func listBanks(accountTypes: String? = nil) async throws -> [OpenBanking.Bank] {
        let (outcome, _) = try await run("listBanks", ["accountTypes": accountTypes])
        guard case let .banks(values) = outcome else { throw Self.unexpected(outcome) }
        return values
    }

    /// One payment made against an intent (the `id` of the `payment.created` webhook), for
    /// its current status.
    public func getPayment(_ paymentId: String) async throws -> OpenBanking.Payment {
        let (outcome, _) = try await run("getPayment", ["paymentId": paymentId])
        guard case let .payment(value) = outcome else { throw Self.unexpected(outcome) }
        return value
    }

    /// Every payment intent of the application, to reconcile intents whose webhooks were missed.
    public func listPaymentIntents() async throws -> [OpenBanking.PaymentIntent] {
        let (outcome, _) = try await run("listPaymentIntents", [:])
        guard case let .paymentIntents(values) = outcome else { throw Self.unexpected(outcome) }
        return values
    }

    /// The entities (bank connections) made from `startDate` to `endDate` (`YYYY-MM-DD`, both
    /// included), a page at a time: finds the connections whose `entity.created` webhook was
    /// not received.
    public func listEntitiesByDate(startDate: String, endDate: String, pageNumber: Int? = nil,
                                   pageSize: Int? = nil) async throws -> [OpenBanking.Entity] {
        var arguments = Self.paging(pageNumber, pageSize)
        arguments["startDate"] = startDate
        arguments["endDate"] = endDate
        let (outcome, _) = try await run("listEntitiesByDate", arguments)
        guard case let .entities(values) = outcome else { throw Self.unexpected(outcome) }
        return values
    }

    /// One page of the entity's accounts as Lean last fetched them (data v2): answers at once,
    /// without asking the bank; `createDataRefresh` fetches anew. Pages count from 0.
    public func listAccounts(entityId: String, pageNumber: Int? = nil, pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccounts", entityId, nil, pageNumber, pageSize)
    }

    /// One page of the account holders' identity as Lean last fetched it (data v2), without
    /// asking the bank.
    public func listIdentities(entityId: String, pageNumber: Int? = nil, pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listIdentities", entityId, nil, pageNumber, pageSize)
    }

    /// One page of an account's balances as Lean last fetched them (data v2), without asking
    /// the bank.
    public func listAccountBalances(entityId: String, accountId: String, pageNumber: Int? = nil,
                                    pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountBalances", entityId, accountId, pageNumber, pageSize)
    }

    /// One page of an account's transactions as Lean last fetched them (data v2): the way to
    /// read a long history page by page without asking the bank each time.
    public func listAccountTransactions(entityId: String, accountId: String, pageNumber: Int? = nil,
                                        pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountTransactions", entityId, accountId, pageNumber, pageSize)
    }

    /// One page of the identities of an account's holders (data v2), e.g. to match a payer's
    /// name.
    public func listAccountIdentities(entityId: String, accountId: String, pageNumber: Int? = nil,
                                      pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountIdentities", entityId, accountId, pageNumber, pageSize)
    }

    /// One page of the beneficiaries saved on an account (data v2).
    public func listAccountBeneficiaries(entityId: String, accountId: String, pageNumber: Int? = nil,
                                         pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountBeneficiaries", entityId, accountId, pageNumber, pageSize)
    }

    /// One page of an account's direct debits (data v2): recurring obligations, for
    /// affordability checks.
    public func listAccountDirectDebits(entityId: String, accountId: String, pageNumber: Int? = nil,
                                        pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountDirectDebits", entityId, accountId, pageNumber, pageSize)
    }

    /// One page of an account's standing orders (data v2): recurring transfers the customer
    /// set up.
    public func listAccountStandingOrders(entityId: String, accountId: String, pageNumber: Int? = nil,
                                          pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountStandingOrders", entityId, accountId, pageNumber, pageSize)
    }

    /// One page of an account's scheduled (future-dated) payments (data v2).
    public func listAccountScheduledPayments(entityId: String, accountId: String, pageNumber: Int? = nil,
                                             pageSize: Int? = nil) async throws -> OpenBanking.DataPage {
        try await dataPage("listAccountScheduledPayments", entityId, accountId, pageNumber, pageSize)
    }

    /// Asks Lean to fetch the entity's data from its bank again, so that the data v2 reads
    /// (`listAccounts` and the others) see fresh data; the `entity.data.refresh.updated`
    /// webhook (or `getDataRefresh`) tells when it is done. Sent once: an unknown outcome is
    /// reported (`transport` with `outcomeUnknown`), not repeated, since a second refresh would
    /// start.
    public func createDataRefresh(entityId: String) async throws -> OpenBanking.DataRefresh {
        try Self.dataRefresh(await run("createDataRefresh", ["entityId": entityId]).0)
    }

    /// One data refresh, to follow its progress when the webhook is not at hand.
    public func getDataRefresh(_ refreshId: String) async throws -> OpenBanking.DataRefresh {
        try Self.dataRefresh(await run("getDataRefresh", ["refreshId": refreshId]).0)
    }

    /// An entity's data refreshes, a page at a time (pages from 0): when its data was last
    /// fetched.
    public func listDataRefreshes(entityId: String, pageNumber: Int? = nil,
                                  pageSize: Int? = nil) async throws -> [OpenBanking.DataRefresh] {
        var arguments = Self.paging(pageNumber, pageSize)
        arguments["entityId"] = entityId
        let (outcome, _) = try await run("listDataRefreshes", arguments)
        guard case let .dataRefreshes(values) = outcome else { throw Self.unexpected(outcome) }
        return values
    }

    /// Runs any operation in the host-neutral JSON form of the shared vectors
    /// (`{"operation": "getBalance", "input": {...}, "entityId": ...}`); returns the typed
    /// result and the same in the API's JSON shape.
    public func execute(json call: String) async throws -> (value: Any, json: String) {
        let (outcome, json) = try await run(try native { try NativeObOperation.fromJson(call: call) })
        let value: Any
        switch outcome {
        case let .customer(v): value = v
        case let .customers(v): value = OpenBanking.CustomerPage(customers: v.customers, json: json)
        case let .entity(v): value = v
        case let .entities(v): value = v
        case let .data(v): value = v
        case let .paymentIntent(v): value = v
        case let .destination(v): value = v
        case let .destinations(v): value = v
        case let .banks(v): value = v
        case let .payment(v): value = v
        case let .paymentIntents(v): value = v
        case let .dataPage(v): value = v
        case let .dataRefresh(v): value = v
        case let .dataRefreshes(v): value = v
        }
        return (value, json)
    }

    // MARK: - running calls

    private func data(_ operation: String, _ entityId: String, _ accountId: String?, _ async: Bool,
                      _ more: [String: Any?] = [:]) async throws -> OpenBanking.DataResult {
        var input: [String: Any?] = ["entity_id": entityId, "async": async]
        if let accountId { input["account_id"] = accountId }
        input.merge(more) { _, new in new }
        return try Self.dataResult(await run(operation, ["input": input]).0)
    }

    private func dataPage(_ operation: String, _ entityId: String, _ accountId: String?, _ pageNumber: Int?,
                          _ pageSize: Int?) async throws -> OpenBanking.DataPage {
        var arguments = Self.paging(pageNumber, pageSize)
        arguments["entityId"] = entityId
        if let accountId { arguments["accountId"] = accountId }
        let (outcome, _) = try await run(operation, arguments)
        guard case let .dataPage(value) = outcome else { throw Self.unexpected(outcome) }
        return value
    }

    private static func paging(_ pageNumber: Int?, _ pageSize: Int?) -> [String: Any?] {
        var paging: [String: Any?] = [:]
        if let pageNumber { paging["pageNumber"] = pageNumber }
        if let pageSize { paging["pageSize"] = pageSize }
        return paging
    }

    private static func dataRefresh(_ outcome: ObOutcome) throws -> OpenBanking.DataRefresh {
        guard case let .dataRefresh(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private func run(_ operation: String, _ arguments: [String: Any?]) async throws -> (ObOutcome, String) {
        var call = arguments
        call["operation"] = operation
        let text = JSONText.write(call)
        return try await run(try native { try NativeObOperation.fromJson(call: text) })
    }

    /// Authenticates and runs one call; with OAuth, by the core's token policy (after a 401,
    /// the token is renewed and the call sent once more).
    private func run(_ operation: NativeObOperation) async throws -> (ObOutcome, String) {
        guard let tokens else {
            guard case let .fixed(auth, _) = auth.kind else { throw LeanError.internal("client credentials without tokens") }
            return try await drive(operation, auth)
        }
        let ticket = NativeTokenTicket()
        while true {
            let auth = try await tokens.auth(ticket, transport: transport, timeout: timeout)
            do {
                return try await drive(operation, auth)
            } catch let error as LeanError where error.code == "unauthorized" {
                let retry = tokens.policy.onUnauthorized(ticket: ticket)
                tokens.log()
                if !retry { throw error }
            }
        }
    }

    private var timeout: TimeInterval { driver.timeout }

    private func drive(_ operation: NativeObOperation, _ auth: NativeObAuth) async throws -> (ObOutcome, String) {
        let done = try await driver.run {
            try config.start(auth: auth, operation: operation, entropy: $0)
        }
        guard case let .openBanking(outcome, json) = done else {
            throw LeanError.internal("internal error in lean-sdk (please report it): a payouts result")
        }
        return (outcome, json)
    }

    private static func customer(_ outcome: ObOutcome) throws -> OpenBanking.Customer {
        guard case let .customer(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private static func dataResult(_ outcome: ObOutcome) throws -> OpenBanking.DataResult {
        guard case let .data(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private static func paymentIntent(_ outcome: ObOutcome) throws -> OpenBanking.PaymentIntent {
        guard case let .paymentIntent(value) = outcome else { throw unexpected(outcome) }
        return value
    }

    private static func unexpected(_ outcome: ObOutcome) -> LeanError {
        LeanError.internal("internal error in lean-sdk (please report it): unexpected \(outcome)")
    }
}

/// OAuth tokens for one client, by the core's token policy: the core decides when a call
/// fetches the token, when it waits for another call's fetch, and whether a 401 is renewed
/// and retried. This only sends the token request with the client's transport and clock.
private actor Tokens {
    nonisolated let policy: NativeTokenPolicy
    private let clock: @Sendable () -> Date
    /// Where the policy's events go; `nil` records none.
    nonisolated let logger: LeanLogger?
    /// The fetch under way (sent and reported): the calls told to wait await it.
    private var fetching: Task<Void, Error>?

    init(policy: NativeTokenPolicy, clock: @escaping @Sendable () -> Date, logger: LeanLogger?) {
        self.policy = policy
        self.clock = clock
        self.logger = logger
        if logger != nil { policy.recordEvents(on: true) }
    }

    /// Hands the policy's events to the logger, if there is one.
    nonisolated func log() {
        logger?.emit(policy.takeEvents())
    }

    func auth(_ ticket: NativeTokenTicket, transport: Transport, timeout: TimeInterval) async throws -> NativeObAuth {
        while true {
            let step: NativeTokenStep
            do {
                step = try native { try policy.poll(ticket: ticket, nowMs: clock().unixMillis) }
                log()
            } catch {
                log()
                throw error
            }
            switch step {
            case let .use(auth):
                return auth
            case .wait:
                _ = await fetching?.result
            case let .fetch(request):
                let task = Task { try await self.fetch(request, ticket, transport, timeout) }
                fetching = task
                try await task.value
            }
        }
    }

    /// Sends the request of a token for one customer once and reads the answer with the core; the
    /// policy's own token is not touched.
    func customer(_ customerId: String, transport: Transport, timeout: TimeInterval) async throws -> OpenBanking.OAuthToken {
        let request = try native { try policy.customerTokenRequest(customerId: customerId) }
        switch try await transport.exchange(request, timeout: timeout) {
        case let .answered(response):
            return try OpenBanking.OAuthToken.parse(response, receivedAt: clock())
        case let .failed(_, message):
            throw LeanError(code: "transport", message: "the OAuth token request to \(request.url) failed: \(message)")
        }
    }

    /// Sends the token request and reports how it ended, whatever happens: other calls wait for it.
    private func fetch(_ request: NativeRequest, _ ticket: NativeTokenTicket, _ transport: Transport,
                       _ timeout: TimeInterval) async throws {
        let sent: TransportOutcome
        do {
            sent = try await transport.exchange(request, timeout: timeout)
        } catch {
            policy.onTokenFailed(ticket: ticket, reason: "the call fetching it was cancelled")
            log()
            throw error
        }
        switch sent {
        case let .failed(kind, message):
            let report = policy.onTokenTransportError(ticket: ticket, kind: kind, message: message)
            log()
            throw LeanError(report)
        case let .answered(response):
            defer { log() }
            try native { try policy.onTokenResponse(ticket: ticket, response: response.toNative, nowMs: clock().unixMillis) }
        }
    }
}
