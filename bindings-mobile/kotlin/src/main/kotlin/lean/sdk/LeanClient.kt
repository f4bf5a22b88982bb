package lean.sdk

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.delay
import lean.sdk.ffi.NativeConfig
import lean.sdk.ffi.NativeOperation
import lean.sdk.ffi.NativeOutcome
import lean.sdk.ffi.PartnerSecret
import lean.sdk.ffi.core.Outcome

/** Which Lean deployment to talk to. */
enum class Environment(internal val wire: String) {
    /** Staging: no real money; the application endpoint exists. */
    SANDBOX("sandbox"),
    /** Real payouts (keys work only from allow-listed IP addresses). */
    PRODUCTION("production"),
    ;

    companion object {
        /**
         * The environment named by configuration text (`"sandbox"`, `"production"`, any case),
         * e.g. from an environment variable; throws [ConfigurationException] for anything else.
         */
        @JvmStatic
        @Throws(LeanException::class)
        fun parse(name: String): Environment {
            val canonical = native { lean.sdk.ffi.parseEnvironment(name) }
            return entries.first { it.wire == canonical }
        }
    }
}

/**
 * A client of the Lean Payouts API. Every method validates its input with the server's own
 * rules (throwing [ValidationException] with every failing field before anything is sent),
 * then sends it through [transport], retrying what is safe to retry: special payments carry
 * one `Idempotency-Key` on every attempt, and a gig whose create may have been applied is
 * looked up before anything is reported, so it is never paid twice.
 *
 * @param apiKey the key Lean gave you; it never appears in `toString()`, logs or errors.
 * @param baseUrl another base URL (https, or http on loopback such as the local sandbox).
 * @param maxRetries retries after the first attempt (default 2).
 * @param logger receives each call's events (attempts, answers with their request ids,
 *   retries, lookups, outcomes), e.g. [LeanLogger.javaUtilLogging]; none are recorded without one.
 * @param dangerouslyAllowSecretsOnDevice lets the client start inside an Android app. Without
 *   it, it throws [ConfigurationException] there: anyone who has the app can extract the API key
 *   and pay out money in your name. Keep the key on your backend and call Lean from there; in
 *   the app, validate forms offline with [validate] and call your own API.
 */
class LeanClient internal constructor(
    apiKey: String,
    environment: Environment,
    baseUrl: String?,
    transport: Transport,
    maxRetries: Int?,
    /** How the client waits between attempts; tests record the waits instead. */
    sleep: suspend (Long) -> Unit,
    logger: LeanLogger? = null,
    dangerouslyAllowSecretsOnDevice: Boolean = false,
) : AutoCloseable {
    @JvmOverloads
    @Throws(ConfigurationException::class)
    constructor(
        apiKey: String,
        environment: Environment = Environment.SANDBOX,
        baseUrl: String? = null,
        transport: Transport = HttpUrlConnectionTransport(),
        maxRetries: Int? = null,
        logger: LeanLogger? = null,
        dangerouslyAllowSecretsOnDevice: Boolean = false,
    ) : this(apiKey, environment, baseUrl, transport, maxRetries, { delay(it) }, logger, dangerouslyAllowSecretsOnDevice)

    init {
        Device.check(PartnerSecret.API_KEY, dangerouslyAllowSecretsOnDevice)
    }

    private val config: NativeConfig = native {
        require(maxRetries == null || maxRetries >= 0) { "maxRetries must not be negative" }
        NativeConfig(apiKey, environment.wire, baseUrl, maxRetries?.toUInt(), "kotlin/${KotlinVersion.CURRENT}")
    }
    private val runner = CallRunner(transport, config.timeoutMs().toLong(), sleep, logger)

    /** Registers a worker (`POST /customer`). */
    suspend fun createCustomer(input: NewCustomer): Customer =
        run { NativeOperation.createCustomer(input) }.customer()

    /** Registers a worker from form fields in the API's camelCase names. */
    suspend fun createCustomer(input: Map<String, Any?>): Customer =
        run(fromMap("createCustomer", "input" to input)).customer()

    /** Reads a worker by your own id. */
    suspend fun getCustomer(partnerUserId: String): Customer =
        run { NativeOperation.getCustomer(partnerUserId) }.customer()

    /** Changes a worker still `PENDING` (`PATCH /customer/:id`). */
    suspend fun updateCustomer(partnerUserId: String, update: CustomerUpdate): Customer =
        run { NativeOperation.updateCustomer(partnerUserId, update) }.customer()

    /** Changes a pending worker from form fields in the API's camelCase names. */
    suspend fun updateCustomer(partnerUserId: String, update: Map<String, Any?>): Customer =
        run(fromMap("updateCustomer", "partnerUserId" to partnerUserId, "input" to update)).customer()

    /** Submits a worker's application (sandbox only: in production the worker does it). */
    suspend fun submitApplication(partnerUserId: String): Application =
        when (val o = run { NativeOperation.submitApplication(partnerUserId) }) {
            is Outcome.Application -> o.v1
            else -> throw unexpected(o)
        }

    /** Pays a gig (`POST /gig`); the same [NewGig.gigId] never pays twice. */
    suspend fun createGig(input: NewGig): Gig = run { NativeOperation.createGig(input) }.gig()

    /** Pays a gig from form fields; amounts as BigDecimal or decimal text, never Double. */
    suspend fun createGig(input: Map<String, Any?>): Gig = run(fromMap("createGig", "input" to input)).gig()

    /** Reads a gig by your own id. */
    suspend fun getGig(gigId: String): Gig = run { NativeOperation.getGig(gigId) }.gig()

    /** Lists your gigs. */
    suspend fun listGigs(): List<Gig> = when (val o = run { NativeOperation.listGigs() }) {
        is Outcome.Gigs -> o.v1
        else -> throw unexpected(o)
    }

    /**
     * Makes a special payment. Pass your own [idempotencyKey] (derived from your own payment
     * id) so that running the same code again, even after a restart, never pays twice.
     */
    suspend fun createSpecialPayment(input: NewSpecialPayment, idempotencyKey: String? = null): SpecialPayment =
        run { NativeOperation.createSpecialPayment(input, idempotencyKey) }.specialPayment()

    /** Makes a special payment from form fields; `type` as the API names it. */
    suspend fun createSpecialPayment(input: Map<String, Any?>, idempotencyKey: String? = null): SpecialPayment =
        run(fromMap("createSpecialPayment", "input" to input, "idempotencyKey" to idempotencyKey))
            .specialPayment()

    /** Reads a special payment by Lean's id. */
    suspend fun getSpecialPayment(id: String): SpecialPayment =
        run { NativeOperation.getSpecialPayment(id) }.specialPayment()

    /** Lists your special payments. */
    suspend fun listSpecialPayments(): List<SpecialPayment> =
        when (val o = run { NativeOperation.listSpecialPayments() }) {
            is Outcome.SpecialPayments -> o.v1
            else -> throw unexpected(o)
        }

    /**
     * Runs an operation given in the host-neutral form every Lean SDK shares: the camelCase
     * [operation] name (`createGig`) and its arguments (`input`, `partnerUserId`, `gigId`,
     * `id`, `idempotencyKey`). For tools and server-driven forms that hold operations as
     * data; the typed methods above are the everyday API. Returns a [Customer], [Gig],
     * [SpecialPayment], [Application], or a list of gigs or special payments.
     */
    suspend fun execute(operation: String, arguments: Map<String, Any?> = emptyMap()): Any =
        when (val o = run(fromMap(operation, *arguments.toList().toTypedArray()))) {
            is Outcome.Customer -> o.v1
            is Outcome.Application -> o.v1
            is Outcome.Gig -> o.v1
            is Outcome.Gigs -> o.v1
            is Outcome.SpecialPayment -> o.v1
            is Outcome.SpecialPayments -> o.v1
        }

    private val futures = Futures("lean-sdk payouts")
    private val asyncView = Async()

    /**
     * The same calls returning [CompletableFuture]s, for Java (`client.async().createGig(gig)`),
     * run on the client's own coroutine scope. Failures complete the future exceptionally with
     * the [LeanException] a Kotlin caller catches (`ExecutionException.getCause()` from `get()`).
     * Cancelling a future cancels its call; once the call has ended, the future's
     * `CancellationException` carries what it had sent (`LeanErrors.interruptedCall(e)`).
     * [close] cancels the calls still running.
     */
    fun async(): Async = asyncView

    /** [LeanClient]'s calls as futures: see [async]. Each method is the suspend one of the same name. */
    inner class Async internal constructor() {
        fun createCustomer(input: NewCustomer): CompletableFuture<Customer> = futures.of { this@LeanClient.createCustomer(input) }
        fun createCustomer(input: Map<String, Any?>): CompletableFuture<Customer> =
            futures.of { this@LeanClient.createCustomer(input) }
        fun getCustomer(partnerUserId: String): CompletableFuture<Customer> = futures.of { this@LeanClient.getCustomer(partnerUserId) }
        fun updateCustomer(partnerUserId: String, update: CustomerUpdate): CompletableFuture<Customer> =
            futures.of { this@LeanClient.updateCustomer(partnerUserId, update) }
        fun updateCustomer(partnerUserId: String, update: Map<String, Any?>): CompletableFuture<Customer> =
            futures.of { this@LeanClient.updateCustomer(partnerUserId, update) }
        fun submitApplication(partnerUserId: String): CompletableFuture<Application> =
            futures.of { this@LeanClient.submitApplication(partnerUserId) }
        fun createGig(input: NewGig): CompletableFuture<Gig> = futures.of { this@LeanClient.createGig(input) }
        fun createGig(input: Map<String, Any?>): CompletableFuture<Gig> = futures.of { this@LeanClient.createGig(input) }
        fun getGig(gigId: String): CompletableFuture<Gig> = futures.of { this@LeanClient.getGig(gigId) }
        fun listGigs(): CompletableFuture<List<Gig>> = futures.of { this@LeanClient.listGigs() }
        @JvmOverloads
        fun createSpecialPayment(input: NewSpecialPayment, idempotencyKey: String? = null): CompletableFuture<SpecialPayment> =
            futures.of { this@LeanClient.createSpecialPayment(input, idempotencyKey) }
        @JvmOverloads
        fun createSpecialPayment(input: Map<String, Any?>, idempotencyKey: String? = null): CompletableFuture<SpecialPayment> =
            futures.of { this@LeanClient.createSpecialPayment(input, idempotencyKey) }
        fun getSpecialPayment(id: String): CompletableFuture<SpecialPayment> = futures.of { this@LeanClient.getSpecialPayment(id) }
        fun listSpecialPayments(): CompletableFuture<List<SpecialPayment>> = futures.of { this@LeanClient.listSpecialPayments() }
        @JvmOverloads
        fun execute(operation: String, arguments: Map<String, Any?> = emptyMap()): CompletableFuture<Any> =
            futures.of { this@LeanClient.execute(operation, arguments) }

        override fun toString() = "${this@LeanClient}.async()"
    }

    /** Never shows the API key. */
    override fun toString(): String = "LeanClient(${config.describe()})"

    /** Cancels the calls [async] started, then frees the native configuration; the client cannot be used afterwards. */
    override fun close() {
        futures.close()
        config.close()
    }

    private fun fromMap(operation: String, vararg arguments: Pair<String, Any?>): () -> NativeOperation {
        val call = mapOf("operation" to operation) + arguments.filter { it.second != null }
        return { NativeOperation.fromJson(Json.write(call)) }
    }

    /**
     * Builds the operation in the library (validating it: nothing is sent when it is
     * invalid), then drives it through the transport to its result.
     */
    private suspend fun run(operation: () -> NativeOperation): Outcome = native(operation).use { op ->
        when (val done = runner.run { entropy -> config.start(op, entropy) }) {
            is NativeOutcome.Payouts -> done.outcome
            is NativeOutcome.OpenBanking -> throw InternalException("internal error in lean-sdk (please report it): an open-banking result")
        }
    }

    private fun Outcome.customer(): Customer = (this as? Outcome.Customer)?.v1 ?: throw unexpected(this)
    private fun Outcome.gig(): Gig = (this as? Outcome.Gig)?.v1 ?: throw unexpected(this)
    private fun Outcome.specialPayment(): SpecialPayment =
        (this as? Outcome.SpecialPayment)?.v1 ?: throw unexpected(this)

    private fun unexpected(outcome: Outcome) =
        InternalException("internal error in lean-sdk (please report it): unexpected result ${outcome.javaClass.simpleName}")
}
