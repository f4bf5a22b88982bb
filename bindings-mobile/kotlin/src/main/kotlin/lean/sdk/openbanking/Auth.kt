package lean.sdk.openbanking

import lean.sdk.HttpRequest
import lean.sdk.HttpResponse
import lean.sdk.native
import lean.sdk.toNative
import lean.sdk.ffi.NativeObAuth
import lean.sdk.ffi.NativeObToken
import lean.sdk.ffi.obTokenRequest

/**
 * How an [OpenBankingClient] authenticates. Build one with [appToken] (the legacy
 * `lean-app-token` header), [clientCredentials] (OAuth 2.0: the client fetches, renews and
 * shares tokens itself) or [accessToken] (a token you obtained elsewhere). No secret appears
 * in `toString()`, logs or errors.
 */
sealed class Auth {
    /** The `lean-app-token` header on every call. */
    class AppToken internal constructor(internal val native: NativeObAuth) : Auth() {
        override fun toString() = "Auth.AppToken(<redacted>)"
    }

    /** `Authorization: Bearer` with a fixed token; not renewed. */
    class AccessToken internal constructor(internal val native: NativeObAuth) : Auth() {
        override fun toString() = "Auth.AccessToken(<redacted>)"
    }

    /**
     * OAuth 2.0 client credentials: the client asks the token host for a token when it has
     * none or the one it has is due for renewal ([renewalMarginMillis] before expiry, 60 s by
     * default), one request for all concurrent callers, and after a 401 fetches a fresh token
     * and retries the call once. [customerId] asks for `customer.<id>` tokens instead of `api`.
     */
    class ClientCredentials internal constructor(
        /** The application id. */
        val clientId: String,
        internal val clientSecret: String,
        /** For `customer.<id>` tokens; `null` for `api`. */
        val customerId: String?,
        /** How long before expiry a token is renewed; `null` for the default (60 s). */
        val renewalMarginMillis: Long?,
    ) : Auth() {
        /**
         * The token request for [environment], for a backend that mints tokens itself (a
         * customer-scoped token for the Link SDK). Its body holds the secret: send it, do not
         * log its body ([HttpRequest.toString] shows only the method and URL).
         */
        fun tokenRequest(environment: OpenBankingEnvironment): HttpRequest {
            val r = native { obTokenRequest(clientId, clientSecret, environment.native, customerId) }
            return HttpRequest(r.method, r.url, r.headers.map { it.name to it.value }, r.body)
        }

        override fun toString() = "Auth.ClientCredentials(clientId=$clientId, clientSecret=<redacted>)"
    }

    companion object {
        /** The application token from the Lean developer portal (non-empty visible ASCII). */
        @JvmStatic
        fun appToken(token: String): Auth = AppToken(native { NativeObAuth.appToken(token) })

        /** An OAuth access token obtained elsewhere, sent as `Authorization: Bearer`. */
        @JvmStatic
        fun accessToken(token: String): Auth = AccessToken(native { NativeObAuth.bearer(token) })

        /**
         * The application id and client secret, for OAuth 2.0 client credentials; both are
         * checked when the client is built (the environment must have a token host).
         */
        @JvmStatic
        @JvmOverloads
        fun clientCredentials(
            clientId: String,
            clientSecret: String,
            customerId: String? = null,
            renewalMarginMillis: Long? = null,
        ): Auth {
            require(renewalMarginMillis == null || renewalMarginMillis >= 0) { "renewalMarginMillis must not be negative" }
            return ClientCredentials(clientId, clientSecret, customerId, renewalMarginMillis)
        }
    }
}

/**
 * An access token read from the token endpoint's answer, with its expiry by this machine's
 * clock (counted from when the answer arrived, which errs early).
 */
class OAuthToken private constructor(private val native: NativeObToken) {
    /**
     * The token itself, for `Authorization: Bearer` or, for a customer-scoped token, for the Link
     * SDK on that customer's device. Keep it out of logs: [toString] never shows it.
     */
    val accessToken: String get() = native.accessToken()

    /** When the token expires, in milliseconds since the epoch. */
    val expiresAtMillis: Long get() = native.expiresAtMs().toLong()

    /** The scope the server granted, if it said (`api`, `customer.<id>`). */
    val scope: String? get() = native.scope()

    /** True when a new token should be fetched before a call at [nowMillis]. */
    fun needsRenewal(nowMillis: Long): Boolean = native.needsRenewal(nowMillis.toULong())

    /** The authentication that sends this token. */
    fun toAuth(): Auth = Auth.AccessToken(native.auth())

    override fun toString() = "OAuthToken(<redacted>, expiresAtMillis=$expiresAtMillis, scope=$scope)"

    companion object {
        /**
         * Reads the token endpoint's [response], received at [receivedAtMillis]; a refusal
         * throws the API error. [renewalMarginMillis] replaces the 60 s default.
         */
        @JvmStatic
        @JvmOverloads
        fun parse(response: HttpResponse, receivedAtMillis: Long, renewalMarginMillis: Long? = null): OAuthToken =
            OAuthToken(native { NativeObToken.parse(response.toNative(), receivedAtMillis.toULong(), renewalMarginMillis?.toULong()) })
    }
}
