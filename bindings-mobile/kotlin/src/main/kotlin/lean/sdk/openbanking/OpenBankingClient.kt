package lean.sdk.openbanking

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.delay
import lean.sdk.ConfigurationException
import lean.sdk.Futures
import lean.sdk.CallRunner
import lean.sdk.Device
import lean.sdk.HttpUrlConnectionTransport
import lean.sdk.Json
import lean.sdk.LeanLogger
import lean.sdk.Transport
import lean.sdk.native
import lean.sdk.ffi.NativeObAuth
import lean.sdk.ffi.NativeObConfig
import lean.sdk.ffi.NativeObOperation
import lean.sdk.ffi.NativeOutcome
import lean.sdk.ffi.NativeTokenPolicy
import lean.sdk.ffi.PartnerSecret
import lean.sdk.ffi.ObOutcome

/**
 * A client of Lean's open-banking API (bank data and payments), beside the payouts
 * [lean.sdk.LeanClient] and built on the same core: every method validates its input with the
 * API's rules (throwing [lean.sdk.ValidationException] with every failing field before anything
 * is sent), then drives the core's call engine over [transport]: reads and data calls are
 * retried, `createCustomer` is made idempotent by a lookup of its `app_user_id`, and an
 * uncertain payment create is reported (`TransportException.outcomeUnknown`), never repeated.
 * Errors are the payouts hierarchy; [lean.sdk.ApiException.apiCode] carries the API's own code.
 *
 * @param auth [Auth.appToken], [Auth.clientCredentials] or [Auth.accessToken].
 * @param environment [OpenBankingEnvironment.UAE_SANDBOX] by default.
 * @param mtls the client certificate, required by production environments (a client built for
 *   one without it, and without a [transport] of your own, fails here).
 * @param transport replaces the default [HttpUrlConnectionTransport] (which presents [mtls]).
 * @param maxRetries retries after the first attempt (default 2).
 * @param logger receives each call's events and the token policy's (fetches, renewals, a
 *   refused token), e.g. [lean.sdk.LeanLogger.javaUtilLogging]; none are recorded without one.
 * @param dangerouslyAllowSecretsOnDevice lets a client holding a partner secret
 *   ([Auth.clientCredentials], or [mtls] with its private key) start inside an Android app.
 *   Without it, it throws [lean.sdk.ConfigurationException] there: anyone who has the app can
 *   extract them. The app token ([Auth.appToken]) is meant for devices and needs no opt-in;
 *   a customer-scoped token is what your backend hands the app for Lean's Link SDK.
 */
class OpenBankingClient internal constructor(
    private val auth: Auth,
    /** Where calls go. */
    val environment: OpenBankingEnvironment,
    mtls: MtlsCredentials?,
    transport: Transport?,
    maxRetries: Int?,
    initialBackoffMillis: Long?,
    /** How the client waits between attempts; tests record the waits instead. */
    private val sleep: suspend (Long) -> Unit,
    /** The clock token expiry is judged by, in epoch milliseconds; tests move it. */
    private val clock: () -> Long,
    logger: LeanLogger? = null,
    dangerouslyAllowSecretsOnDevice: Boolean = false,
) : AutoCloseable {
    @JvmOverloads
    @Throws(ConfigurationException::class)
    constructor(
        auth: Auth,
        environment: OpenBankingEnvironment = OpenBankingEnvironment.UAE_SANDBOX,
        mtls: MtlsCredentials? = null,
        transport: Transport? = null,
        maxRetries: Int? = null,
        logger: LeanLogger? = null,
        dangerouslyAllowSecretsOnDevice: Boolean = false,
    ) : this(
        auth, environment, mtls, transport, maxRetries, null, { delay(it) }, System::currentTimeMillis, logger,
        dangerouslyAllowSecretsOnDevice,
    )

    init {
        if (auth is Auth.ClientCredentials) Device.check(PartnerSecret.CLIENT_SECRET, dangerouslyAllowSecretsOnDevice)
        if (mtls != null) Device.check(PartnerSecret.CERTIFICATE_KEY, dangerouslyAllowSecretsOnDevice)
        if (environment.requiresMtls && mtls == null && transport == null) {
            throw ConfigurationException(
                "${environment.name} requires mutual TLS: pass mtls = MtlsCredentials.fromPem(certificateChain, " +
                    "privateKey, caChain) (or fromPemFiles) with the certificate Lean issued for your application",
            )
        }
        if (mtls != null && transport != null) {
            throw ConfigurationException(
                "pass either mtls (presented by the default transport) or your own transport configured with " +
                    "the certificate (mtls.sslContext), not both: the certificate would not be used",
            )
        }
        require(maxRetries == null || maxRetries >= 0) { "maxRetries must not be negative" }
    }

    private val transport: Transport = transport ?: HttpUrlConnectionTransport(mtls?.sslContext)
    private val config = native {
        NativeObConfig(
            environment.native, maxRetries?.toUInt(), initialBackoffMillis?.toULong(),
            "kotlin/${KotlinVersion.CURRENT}",
        )
    }
    private val timeoutMillis = config.timeoutMs().toLong()
    private val runner = CallRunner(this.transport, timeoutMillis, sleep, logger)
    private val tokens: Tokens? = (auth as? Auth.ClientCredentials)?.let {
        val policy = native {
            NativeTokenPolicy(it.clientId, it.clientSecret, environment.native, it.customerId, it.renewalMarginMillis?.toULong())
        }
        Tokens(policy, this.transport, timeoutMillis, clock, logger)
    }

    /**
     * Mints an access token limited to one customer (scope `customer.<id>`) with this client's
     * [Auth.clientCredentials]: the backend half of the Link SDK flow. Hand only
     * [OAuthToken.accessToken] to the app on that customer's device, never the client secret.
     * Sent once: a transport failure throws [lean.sdk.TransportException], a refusal the API
     * error. The client's own token is not touched.
     *
     * @throws ConfigurationException for a client without client credentials.
     */
    suspend fun customerToken(customerId: String): OAuthToken = (tokens ?: throw ConfigurationException(
        "customerToken needs OAuth client credentials: build the client with Auth.clientCredentials(clientId, clientSecret)",
    )).customer(customerId)

    /** Creates a customer (`POST /customers/v1/`); creating the same `appUserId` again returns it. */
    suspend fun createCustomer(customer: NewCustomer): Customer =
        customer(run("createCustomer", mapOf("input" to customer.json())))

    /** Reads a customer by Lean's id. */
    suspend fun getCustomer(customerId: String): Customer =
        customer(run("getCustomer", mapOf("customerId" to customerId)))

    /** Reads a customer by your own id of the user. */
    suspend fun getCustomerByAppUserId(appUserId: String): Customer =
        customer(run("getCustomerByAppUserId", mapOf("appUserId" to appUserId)))

    /** Lists customers, a page at a time (pages from 0). */
    suspend fun listCustomers(pageNumber: Int? = null, pageSize: Int? = null): CustomerPage {
        val paging = buildMap<String, Any?> {
            pageNumber?.let { put("pageNumber", it) }
            pageSize?.let { put("pageSize", it) }
        }
        val (outcome, json) = run("listCustomers", paging)
        val customers = (outcome as? ObOutcome.Customers ?: throw unexpected(outcome)).values
        return CustomerPage(customers, json)
    }

    /** The banks a customer connected (through the Link SDK). */
    suspend fun listEntities(customerId: String): List<Entity> =
        when (val o = run("listEntities", mapOf("customerId" to customerId)).first) {
            is ObOutcome.Entities -> o.values
            else -> throw unexpected(o)
        }

    /** One connected bank of a customer. */
    suspend fun getEntity(customerId: String, entityId: String): Entity =
        when (val o = run("getEntity", mapOf("customerId" to customerId, "entityId" to entityId)).first) {
            is ObOutcome.Entity -> o.value
            else -> throw unexpected(o)
        }

    /** The account holder's identity. With [async], see [DataResult.isPending]. */
    suspend fun getIdentity(entityId: String, async: Boolean = false): DataResult =
        data("getIdentity", entityId, null, async)

    /** The entity's accounts. */
    suspend fun getAccounts(entityId: String, async: Boolean = false): DataResult =
        data("getAccounts", entityId, null, async)

    /** One account's balance. */
    suspend fun getBalance(entityId: String, accountId: String, async: Boolean = false): DataResult =
        data("getBalance", entityId, accountId, async)

    /** One account's transactions. */
    suspend fun getTransactions(entityId: String, accountId: String, async: Boolean = false): DataResult =
        data("getTransactions", entityId, accountId, async)

    /**
     * The results of an asynchronous data call, once the `results.ready` webhook named
     * [resultsId] (still `PENDING` before).
     */
    suspend fun getDataResults(resultsId: String): DataResult =
        dataResult(run("getDataResults", mapOf("resultsId" to resultsId)).first)

    /** Creates a payment intent; never repeated when its outcome is unknown (look it up instead). */
    suspend fun createPaymentIntent(intent: NewPaymentIntent): PaymentIntent =
        paymentIntent(run("createPaymentIntent", mapOf("input" to intent.json())).first)

    /** Reads a payment intent. */
    suspend fun getPaymentIntent(paymentIntentId: String): PaymentIntent =
        paymentIntent(run("getPaymentIntent", mapOf("paymentIntentId" to paymentIntentId)).first)

    /** Saves a payment destination (beneficiary account). */
    suspend fun createPaymentDestination(destination: NewDestination): Destination =
        when (val o = run("createPaymentDestination", mapOf("input" to destination.json())).first) {
            is ObOutcome.Destination -> o.value
            else -> throw unexpected(o)
        }

    /** The application's payment destinations. */
    suspend fun listPaymentDestinations(): List<Destination> =
        when (val o = run("listPaymentDestinations", emptyMap()).first) {
            is ObOutcome.Destinations -> o.values
            else -> throw unexpected(o)
        }

    /**
     * The banks Lean supports, for a bank picker of your own; only those offering
     * [accountTypes] (`PERSONAL`, `BUSINESS`) when given.
     */
    suspend fun listBanks(accountTypes: String? = null): List<Bank> =
        when (val o = run("listBanks", mapOf("accountTypes" to accountTypes)).first) {
            is ObOutcome.Banks -> o.values
            else -> throw unexpected(o)
        }

    /** One payment made against an intent (the `id` of the `payment.created` webhook), for its status. */
    suspend fun getPayment(paymentId: String): Payment =
        when (val o = run("getPayment", mapOf("paymentId" to paymentId)).first) {
            is ObOutcome.Payment -> o.value
            else -> throw unexpected(o)
        }

    /**
     * Runs any operation in the host-neutral form of the shared vectors: [operation] is its
     * name (`getBalance`), [arguments] its `input` (the API's snake_case fields) and path or
     * query values (`customerId`, `entityId`, `pageNumber`, ...).
     */
    suspend fun execute(operation: String, arguments: Map<String, Any?>): OpenBankingResult {
        val (outcome, json) = run(operation, arguments)
        val value: Any = when (outcome) {
            is ObOutcome.Customer -> outcome.value
            is ObOutcome.Customers -> CustomerPage(outcome.values, json)
            is ObOutcome.Entity -> outcome.value
            is ObOutcome.Entities -> outcome.values
            is ObOutcome.Data -> outcome.value
            is ObOutcome.PaymentIntent -> outcome.value
            is ObOutcome.Destination -> outcome.value
            is ObOutcome.Destinations -> outcome.values
            is ObOutcome.Banks -> outcome.values
            is ObOutcome.Payment -> outcome.value
        }
        return OpenBankingResult(value, json)
    }

    private val futures = Futures("lean-sdk open banking")
    private val asyncView = Async()

    /**
     * The same calls returning [CompletableFuture]s, for Java (`client.async().getAccounts(entityId)`),
     * run on the client's own coroutine scope. Failures complete the future exceptionally with
     * the [lean.sdk.LeanException] a Kotlin caller catches (`ExecutionException.getCause()` from
     * `get()`). Cancelling a future cancels its call; once the call has ended, the future's
     * `CancellationException` carries what it had sent (`LeanErrors.interruptedCall(e)`).
     * [close] cancels the calls still running. (Not to be confused with the API's asynchronous
     * data calls, the `async` argument of [getIdentity] and the other data reads.)
     */
    fun async(): Async = asyncView

    /** [OpenBankingClient]'s calls as futures: see [async]. Each method is the suspend one of the same name. */
    inner class Async internal constructor() {
        private val client = this@OpenBankingClient

        fun customerToken(customerId: String): CompletableFuture<OAuthToken> = futures.of { client.customerToken(customerId) }
        fun createCustomer(customer: NewCustomer): CompletableFuture<Customer> = futures.of { client.createCustomer(customer) }
        fun getCustomer(customerId: String): CompletableFuture<Customer> = futures.of { client.getCustomer(customerId) }
        fun getCustomerByAppUserId(appUserId: String): CompletableFuture<Customer> =
            futures.of { client.getCustomerByAppUserId(appUserId) }
        @JvmOverloads
        fun listCustomers(pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<CustomerPage> =
            futures.of { client.listCustomers(pageNumber, pageSize) }
        fun listEntities(customerId: String): CompletableFuture<List<Entity>> = futures.of { client.listEntities(customerId) }
        fun getEntity(customerId: String, entityId: String): CompletableFuture<Entity> =
            futures.of { client.getEntity(customerId, entityId) }
        @JvmOverloads
        fun getIdentity(entityId: String, async: Boolean = false): CompletableFuture<DataResult> =
            futures.of { client.getIdentity(entityId, async) }
        @JvmOverloads
        fun getAccounts(entityId: String, async: Boolean = false): CompletableFuture<DataResult> =
            futures.of { client.getAccounts(entityId, async) }
        @JvmOverloads
        fun getBalance(entityId: String, accountId: String, async: Boolean = false): CompletableFuture<DataResult> =
            futures.of { client.getBalance(entityId, accountId, async) }
        @JvmOverloads
        fun getTransactions(entityId: String, accountId: String, async: Boolean = false): CompletableFuture<DataResult> =
            futures.of { client.getTransactions(entityId, accountId, async) }
        fun getDataResults(resultsId: String): CompletableFuture<DataResult> = futures.of { client.getDataResults(resultsId) }
        fun createPaymentIntent(intent: NewPaymentIntent): CompletableFuture<PaymentIntent> =
            futures.of { client.createPaymentIntent(intent) }
        fun getPaymentIntent(paymentIntentId: String): CompletableFuture<PaymentIntent> =
            futures.of { client.getPaymentIntent(paymentIntentId) }
        fun createPaymentDestination(destination: NewDestination): CompletableFuture<Destination> =
            futures.of { client.createPaymentDestination(destination) }
        fun listPaymentDestinations(): CompletableFuture<List<Destination>> = futures.of { client.listPaymentDestinations() }
        @JvmOverloads
        fun listBanks(accountTypes: String? = null): CompletableFuture<List<Bank>> = futures.of { client.listBanks(accountTypes) }
        fun getPayment(paymentId: String): CompletableFuture<Payment> = futures.of { client.getPayment(paymentId) }
        fun execute(operation: String, arguments: Map<String, Any?>): CompletableFuture<OpenBankingResult> =
            futures.of { client.execute(operation, arguments) }

        override fun toString() = "$client.async()"
    }

    override fun toString() = "OpenBankingClient(${environment.name}, ${environment.apiBaseUrl}, $auth)"

    /**
     * Cancels the calls [async] started, then frees the native configuration; the client cannot
     * be used afterwards. Optional for a client that lives as long as the process.
     */
    override fun close() {
        futures.close()
        config.close()
    }

    private suspend fun data(operation: String, entityId: String, accountId: String?, async: Boolean): DataResult {
        val input = buildMap<String, Any?> {
            put("entity_id", entityId)
            accountId?.let { put("account_id", it) }
            put("async", async)
        }
        return dataResult(run(operation, mapOf("input" to input)).first)
    }

    private fun customer(result: Pair<ObOutcome, String>): Customer = when (val o = result.first) {
        is ObOutcome.Customer -> o.value
        else -> throw unexpected(o)
    }

    private fun dataResult(outcome: ObOutcome): DataResult = when (outcome) {
        is ObOutcome.Data -> outcome.value
        else -> throw unexpected(outcome)
    }

    private fun paymentIntent(outcome: ObOutcome): PaymentIntent = when (outcome) {
        is ObOutcome.PaymentIntent -> outcome.value
        else -> throw unexpected(outcome)
    }

    private fun unexpected(outcome: ObOutcome) =
        lean.sdk.InternalException("internal error in lean-sdk (please report it): unexpected ${outcome::class.simpleName}")

    /** Validates, authenticates and runs one call (with OAuth, by the core's token policy). */
    private suspend fun run(operation: String, arguments: Map<String, Any?>): Pair<ObOutcome, String> {
        val call = Json.write(arguments + ("operation" to operation))
        return native { NativeObOperation.fromJson(call) }.use { op ->
            when (auth) {
                is Auth.AppToken -> drive(op, auth.native)
                is Auth.AccessToken -> drive(op, auth.native)
                is Auth.ClientCredentials -> tokens!!.authenticated { drive(op, it) }
            }
        }
    }

    /** Drives the core's engine over the transport: sends, waits, reports, until it ends. */
    private suspend fun drive(op: NativeObOperation, auth: NativeObAuth): Pair<ObOutcome, String> =
        when (val done = runner.run { entropy -> config.start(auth, op, entropy) }) {
            is NativeOutcome.OpenBanking -> done.outcome to done.json
            is NativeOutcome.Payouts -> throw lean.sdk.InternalException("internal error in lean-sdk (please report it): a payouts result")
        }
}
