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
import lean.sdk.ffi.core.ObOutcome

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
        result<ObOutcome.Customer>("createCustomer", mapOf("input" to customer.json())).v1

    /** Reads a customer by Lean's id. */
    suspend fun getCustomer(customerId: String): Customer =
        result<ObOutcome.Customer>("getCustomer", mapOf("customerId" to customerId)).v1

    /** Reads a customer by your own id of the user. */
    suspend fun getCustomerByAppUserId(appUserId: String): Customer =
        result<ObOutcome.Customer>("getCustomerByAppUserId", mapOf("appUserId" to appUserId)).v1

    /** Lists customers, a page at a time (pages from 0). */
    suspend fun listCustomers(pageNumber: Int? = null, pageSize: Int? = null): CustomerPage {
        val (outcome, json) = run("listCustomers", paging(pageNumber, pageSize))
        val page = (outcome as? ObOutcome.Customers ?: throw unexpected(outcome)).v1
        return CustomerPage(page.customers, json)
    }

    /** The banks a customer connected (through the Link SDK). */
    suspend fun listEntities(customerId: String): List<Entity> =
        result<ObOutcome.Entities>("listEntities", mapOf("customerId" to customerId)).v1

    /** One connected bank of a customer. */
    suspend fun getEntity(customerId: String, entityId: String): Entity =
        result<ObOutcome.Entity>("getEntity", mapOf("customerId" to customerId, "entityId" to entityId)).v1

    /** The account holder's identity. With [async], see [DataResult.isPending]. */
    suspend fun getIdentity(entityId: String, async: Boolean = false): DataResult =
        data("getIdentity", entityId, null, async)

    /** The entity's accounts. */
    suspend fun getAccounts(entityId: String, async: Boolean = false): DataResult =
        data("getAccounts", entityId, null, async)

    /** One account's balance. */
    suspend fun getBalance(entityId: String, accountId: String, async: Boolean = false): DataResult =
        data("getBalance", entityId, accountId, async)

    /**
     * One account's transactions, asked of the bank now; [startDate] and [endDate] (`YYYY-MM-DD`,
     * both included) narrow them to a period, and [insights] asks Lean for its income and
     * spending summaries beside them.
     */
    suspend fun getTransactions(
        entityId: String,
        accountId: String,
        async: Boolean = false,
        startDate: String? = null,
        endDate: String? = null,
        insights: Boolean = false,
    ): DataResult = data("getTransactions", entityId, accountId, async) {
        startDate?.let { put("start_date", it) }
        endDate?.let { put("end_date", it) }
        if (insights) put("insights", true)
    }

    /**
     * The results of an asynchronous data call, once the `results.ready` webhook named
     * [resultsId] (still `PENDING` before).
     */
    suspend fun getDataResults(resultsId: String): DataResult =
        result<ObOutcome.Data>("getDataResults", mapOf("resultsId" to resultsId)).v1

    /** Creates a payment intent; never repeated when its outcome is unknown (look it up instead). */
    suspend fun createPaymentIntent(intent: NewPaymentIntent): PaymentIntent =
        result<ObOutcome.PaymentIntent>("createPaymentIntent", mapOf("input" to intent.json())).v1

    /** Reads a payment intent. */
    suspend fun getPaymentIntent(paymentIntentId: String): PaymentIntent =
        result<ObOutcome.PaymentIntent>("getPaymentIntent", mapOf("paymentIntentId" to paymentIntentId)).v1

    /** Saves a payment destination (beneficiary account). */
    suspend fun createPaymentDestination(destination: NewDestination): Destination =
        result<ObOutcome.Destination>("createPaymentDestination", mapOf("input" to destination.json())).v1

    /** The application's payment destinations. */
    suspend fun listPaymentDestinations(): List<Destination> =
        result<ObOutcome.Destinations>("listPaymentDestinations", emptyMap()).v1

    /**
     * The banks Lean supports, for a bank picker of your own; only those offering
     * [accountTypes] (`PERSONAL`, `BUSINESS`) when given.
     */
    suspend fun listBanks(accountTypes: String? = null): List<Bank> =
        result<ObOutcome.Banks>("listBanks", mapOf("accountTypes" to accountTypes)).v1

    /** One payment made against an intent (the `id` of the `payment.created` webhook), for its status. */
    suspend fun getPayment(paymentId: String): Payment =
        result<ObOutcome.Payment>("getPayment", mapOf("paymentId" to paymentId)).v1

    /** Every payment intent of the application, to reconcile intents whose webhooks were missed. */
    suspend fun listPaymentIntents(): List<PaymentIntent> =
        result<ObOutcome.PaymentIntents>("listPaymentIntents", emptyMap()).v1

    /**
     * The entities (bank connections) made from [startDate] to [endDate] (`YYYY-MM-DD`, both
     * included), a page at a time: finds the connections whose `entity.created` webhook was not
     * received.
     */
    suspend fun listEntitiesByDate(
        startDate: String,
        endDate: String,
        pageNumber: Int? = null,
        pageSize: Int? = null,
    ): List<Entity> =
        result<ObOutcome.Entities>(
            "listEntitiesByDate",
            paging(pageNumber, pageSize) + mapOf("startDate" to startDate, "endDate" to endDate),
        ).v1

    /**
     * One page of the entity's accounts as Lean last fetched them (data v2): answers at once,
     * without asking the bank; [createDataRefresh] fetches anew. Pages count from 0.
     */
    suspend fun listAccounts(entityId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccounts", entityId, null, pageNumber, pageSize)

    /** One page of the account holders' identity as Lean last fetched it (data v2), without asking the bank. */
    suspend fun listIdentities(entityId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listIdentities", entityId, null, pageNumber, pageSize)

    /** One page of an account's balances as Lean last fetched them (data v2), without asking the bank. */
    suspend fun listAccountBalances(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountBalances", entityId, accountId, pageNumber, pageSize)

    /**
     * One page of an account's transactions as Lean last fetched them (data v2): the way to read
     * a long history page by page without asking the bank each time.
     */
    suspend fun listAccountTransactions(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountTransactions", entityId, accountId, pageNumber, pageSize)

    /** One page of the identities of an account's holders (data v2), e.g. to match a payer's name. */
    suspend fun listAccountIdentities(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountIdentities", entityId, accountId, pageNumber, pageSize)

    /** One page of the beneficiaries saved on an account (data v2). */
    suspend fun listAccountBeneficiaries(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountBeneficiaries", entityId, accountId, pageNumber, pageSize)

    /** One page of an account's direct debits (data v2): recurring obligations, for affordability checks. */
    suspend fun listAccountDirectDebits(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountDirectDebits", entityId, accountId, pageNumber, pageSize)

    /** One page of an account's standing orders (data v2): recurring transfers the customer set up. */
    suspend fun listAccountStandingOrders(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountStandingOrders", entityId, accountId, pageNumber, pageSize)

    /** One page of an account's scheduled (future-dated) payments (data v2). */
    suspend fun listAccountScheduledPayments(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): DataPage =
        dataPage("listAccountScheduledPayments", entityId, accountId, pageNumber, pageSize)

    /**
     * Asks Lean to fetch the entity's data from its bank again, so that the data v2 reads
     * ([listAccounts] and the others) see fresh data; the `entity.data.refresh.updated` webhook
     * (or [getDataRefresh]) tells when it is done. Sent once: an unknown outcome is reported
     * ([lean.sdk.TransportException.outcomeUnknown]), not repeated, since a second refresh would start.
     */
    suspend fun createDataRefresh(entityId: String): DataRefresh =
        result<ObOutcome.DataRefresh>("createDataRefresh", mapOf("entityId" to entityId)).v1

    /** One data refresh, to follow its progress when the webhook is not at hand. */
    suspend fun getDataRefresh(refreshId: String): DataRefresh =
        result<ObOutcome.DataRefresh>("getDataRefresh", mapOf("refreshId" to refreshId)).v1

    /** An entity's data refreshes, a page at a time (pages from 0): when its data was last fetched. */
    suspend fun listDataRefreshes(entityId: String, pageNumber: Int? = null, pageSize: Int? = null): List<DataRefresh> =
        result<ObOutcome.DataRefreshes>("listDataRefreshes", paging(pageNumber, pageSize) + ("entityId" to entityId)).v1

    /**
     * Runs any operation in the host-neutral form of the shared vectors: [operation] is its
     * name (`getBalance`), [arguments] its `input` (the API's snake_case fields) and path or
     * query values (`customerId`, `entityId`, `pageNumber`, ...).
     */
    suspend fun execute(operation: String, arguments: Map<String, Any?>): OpenBankingResult {
        val (outcome, json) = run(operation, arguments)
        val value: Any = when (outcome) {
            is ObOutcome.Customer -> outcome.v1
            is ObOutcome.Customers -> CustomerPage(outcome.v1.customers, json)
            is ObOutcome.Entity -> outcome.v1
            is ObOutcome.Entities -> outcome.v1
            is ObOutcome.Data -> outcome.v1
            is ObOutcome.PaymentIntent -> outcome.v1
            is ObOutcome.Destination -> outcome.v1
            is ObOutcome.Destinations -> outcome.v1
            is ObOutcome.Banks -> outcome.v1
            is ObOutcome.Payment -> outcome.v1
            is ObOutcome.PaymentIntents -> outcome.v1
            is ObOutcome.DataPage -> outcome.v1
            is ObOutcome.DataRefresh -> outcome.v1
            is ObOutcome.DataRefreshes -> outcome.v1
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
        fun getTransactions(
            entityId: String,
            accountId: String,
            async: Boolean = false,
            startDate: String? = null,
            endDate: String? = null,
            insights: Boolean = false,
        ): CompletableFuture<DataResult> =
            futures.of { client.getTransactions(entityId, accountId, async, startDate, endDate, insights) }
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
        fun listPaymentIntents(): CompletableFuture<List<PaymentIntent>> = futures.of { client.listPaymentIntents() }
        @JvmOverloads
        fun listEntitiesByDate(startDate: String, endDate: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<List<Entity>> =
            futures.of { client.listEntitiesByDate(startDate, endDate, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccounts(entityId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccounts(entityId, pageNumber, pageSize) }
        @JvmOverloads
        fun listIdentities(entityId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listIdentities(entityId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountBalances(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountBalances(entityId, accountId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountTransactions(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountTransactions(entityId, accountId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountIdentities(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountIdentities(entityId, accountId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountBeneficiaries(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountBeneficiaries(entityId, accountId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountDirectDebits(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountDirectDebits(entityId, accountId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountStandingOrders(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountStandingOrders(entityId, accountId, pageNumber, pageSize) }
        @JvmOverloads
        fun listAccountScheduledPayments(entityId: String, accountId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<DataPage> =
            futures.of { client.listAccountScheduledPayments(entityId, accountId, pageNumber, pageSize) }
        fun createDataRefresh(entityId: String): CompletableFuture<DataRefresh> = futures.of { client.createDataRefresh(entityId) }
        fun getDataRefresh(refreshId: String): CompletableFuture<DataRefresh> = futures.of { client.getDataRefresh(refreshId) }
        @JvmOverloads
        fun listDataRefreshes(entityId: String, pageNumber: Int? = null, pageSize: Int? = null): CompletableFuture<List<DataRefresh>> =
            futures.of { client.listDataRefreshes(entityId, pageNumber, pageSize) }
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

    private suspend fun data(
        operation: String,
        entityId: String,
        accountId: String?,
        async: Boolean,
        more: MutableMap<String, Any?>.() -> Unit = {},
    ): DataResult {
        val input = buildMap<String, Any?> {
            put("entity_id", entityId)
            accountId?.let { put("account_id", it) }
            put("async", async)
            more()
        }
        return result<ObOutcome.Data>(operation, mapOf("input" to input)).v1
    }

    private suspend fun dataPage(operation: String, entityId: String, accountId: String?, pageNumber: Int?, pageSize: Int?): DataPage {
        val arguments = paging(pageNumber, pageSize) + ("entityId" to entityId) + listOfNotNull(accountId?.let { "accountId" to it })
        return result<ObOutcome.DataPage>(operation, arguments).v1
    }

    private fun paging(pageNumber: Int?, pageSize: Int?): Map<String, Any?> = buildMap {
        pageNumber?.let { put("pageNumber", it) }
        pageSize?.let { put("pageSize", it) }
    }

    /** Runs one call whose result must be of kind [T]: any other kind is a bug of the SDK. */
    private suspend inline fun <reified T : ObOutcome> result(operation: String, arguments: Map<String, Any?>): T =
        run(operation, arguments).first.let { it as? T ?: throw unexpected(it) }

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
