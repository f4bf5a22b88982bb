package lean.sdk.openbanking

import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CompletableDeferred
import lean.sdk.LeanLogger
import lean.sdk.Transport
import lean.sdk.emit
import lean.sdk.TransportException
import lean.sdk.TransportFailure
import lean.sdk.UnauthorizedException
import lean.sdk.native
import lean.sdk.toException
import lean.sdk.toHttp
import lean.sdk.toNative
import lean.sdk.ffi.NativeObAuth
import lean.sdk.ffi.NativeRequest
import lean.sdk.ffi.NativeTokenPolicy
import lean.sdk.ffi.NativeTokenStep
import lean.sdk.ffi.NativeTokenTicket
import lean.sdk.ffi.TransportErrorKind

/**
 * OAuth tokens for one client, by the core's token policy: the core decides when a call
 * fetches the token, when it waits for another call's fetch, and whether a 401 is renewed and
 * retried. This only sends the token request with the client's transport and clock, and wakes
 * the calls waiting for it.
 */
internal class Tokens(
    private val policy: NativeTokenPolicy,
    private val transport: Transport,
    private val timeoutMillis: Long,
    private val clock: () -> Long,
    /** Where the policy's events go; `null` records none. */
    private val logger: LeanLogger?,
) {
    init {
        if (logger != null) policy.recordEvents(true)
    }

    /** Completed when the fetch under way has been reported; a new one for each fetch. */
    private var fetched = CompletableDeferred<Unit>()

    /** Runs [call] with the current token; after a 401, as the policy says, renews it and runs it once more. */
    suspend fun <T> authenticated(call: suspend (NativeObAuth) -> T): T {
        val ticket = NativeTokenTicket()
        try {
            while (true) {
                val auth = auth(ticket)
                try {
                    return call(auth)
                } catch (e: UnauthorizedException) {
                    val retry = policy.onUnauthorized(ticket)
                    log()
                    if (!retry) throw e
                }
            }
        } finally {
            ticket.close()
        }
    }

    private suspend fun auth(ticket: NativeTokenTicket): NativeObAuth {
        while (true) {
            val (step, fetch) = reported {
                synchronized(this) {
                    val step = native { policy.poll(ticket, clock().toULong()) }
                    if (step is NativeTokenStep.Fetch) fetched = CompletableDeferred()
                    step to fetched
                }
            }
            when (step) {
                is NativeTokenStep.Use -> return step.auth
                is NativeTokenStep.Wait -> fetch.await()
                is NativeTokenStep.Fetch -> try {
                    fetch(ticket, step.request)
                } finally {
                    fetch.complete(Unit)
                }
            }
        }
    }

    /** Sends the token request and reports how it ended, whatever happens: other calls wait for it. */
    private suspend fun fetch(ticket: NativeTokenTicket, request: NativeRequest) {
        val response = try {
            transport.send(request.toHttp(), timeoutMillis)
        } catch (e: TransportFailure) {
            throw reported { policy.onTokenTransportError(ticket, e.kind.toNative(), e.message ?: "") }.toException()
        } catch (e: CancellationException) {
            reported { policy.onTokenFailed(ticket, "the call fetching it was cancelled") }
            throw e
        } catch (e: Exception) {
            throw reported { policy.onTokenTransportError(ticket, TransportErrorKind.OTHER, e.message ?: e.javaClass.simpleName) }
                .toException()
        }
        reported { native { policy.onTokenResponse(ticket, response.toNative(), clock().toULong()) } }
    }

    /**
     * Sends the request of a token for one customer once and reads the answer with the core; the
     * policy's own token is not touched.
     */
    suspend fun customer(customerId: String): OAuthToken {
        val request = native { policy.customerTokenRequest(customerId) }
        val response = try {
            transport.send(request.toHttp(), timeoutMillis)
        } catch (e: CancellationException) {
            throw e
        } catch (e: TransportFailure) {
            throw customerTokenFailure(request, e.message ?: "")
        } catch (e: Exception) {
            throw customerTokenFailure(request, e.message ?: e.javaClass.simpleName)
        }
        return OAuthToken.parse(response, clock())
    }

    private fun customerTokenFailure(request: NativeRequest, message: String) =
        TransportException("the OAuth token request to ${request.url} failed: $message", outcomeUnknown = false)

    /** Runs one report to the policy, then logs what it decided. */
    private inline fun <T> reported(report: () -> T): T = try {
        report()
    } finally {
        log()
    }

    /** Hands the policy's events to the logger, if there is one. */
    private fun log() {
        if (logger != null) emit(logger, synchronized(this) { policy.takeEvents() })
    }

    override fun toString() = policy.describe()
}
