package lean.sdk.openbanking

import lean.sdk.native
import lean.sdk.ffi.NativeObEnvironment

/**
 * A deployment of Lean's open-banking API: its API host, its OAuth token host, and whether it
 * demands the application's client certificate (mutual TLS). Use one of the constants, [parse]
 * a name from configuration, or point at another host with [custom] (the local sandbox).
 * Applications, tokens and customers live in one region: UAE and KSA share nothing.
 */
class OpenBankingEnvironment private constructor(internal val native: NativeObEnvironment) {
    /** `uae-sandbox`, `uae-production`, ..., or `custom`. */
    val name: String get() = native.name()

    /** The API base URL, without a trailing `/`. */
    val apiBaseUrl: String get() = native.apiBaseUrl()

    /** True when the host refuses connections without the client certificate. */
    val requiresMtls: Boolean get() = native.requiresMtls()

    /** The OAuth token endpoint, or `null` where it is not documented (set it with [withTokenBaseUrl]). */
    val tokenUrl: String?
        get() = try {
            native { native.tokenUrl() }
        } catch (e: lean.sdk.ConfigurationException) {
            null
        }

    /** The same environment with another OAuth token host (needed for OAuth in the UAE sandbox). */
    fun withTokenBaseUrl(tokenBaseUrl: String): OpenBankingEnvironment =
        OpenBankingEnvironment(native { native.withTokenBaseUrl(tokenBaseUrl) })

    /** The same environment with mutual TLS required or not (for custom hosts). */
    fun withMtls(required: Boolean): OpenBankingEnvironment = OpenBankingEnvironment(native.withMtls(required))

    override fun toString() = "OpenBankingEnvironment($name, $apiBaseUrl${if (requiresMtls) ", mTLS" else ""})"

    companion object {
        /** UAE sandbox (`sandbox.leantech.me`): mock data, no mTLS; OAuth needs [withTokenBaseUrl]. */
        @JvmField val UAE_SANDBOX = parse("uae-sandbox")

        /** The UAE sandbox host that enforces mTLS, to test certificates before going live. */
        @JvmField val UAE_SANDBOX_MTLS = parse("uae-sandbox-mtls")

        /** UAE production (`api.leantech.me`, tokens from `auth.leantech.me`): mTLS required. */
        @JvmField val UAE_PRODUCTION = parse("uae-production")

        /** KSA sandbox (`sandbox.sa.leantech.me`). */
        @JvmField val KSA_SANDBOX = parse("ksa-sandbox")

        /** KSA production (`api.sa.leantech.me`): mTLS required. */
        @JvmField val KSA_PRODUCTION = parse("ksa-production")

        /**
         * The environment named by configuration text (`uae-sandbox`, `uae-sandbox-mtls`,
         * `uae-production`, `ksa-sandbox`, `ksa-production`; any case, `_` for `-`); throws
         * [lean.sdk.ConfigurationException] listing them otherwise.
         */
        @JvmStatic
        fun parse(name: String): OpenBankingEnvironment = OpenBankingEnvironment(native { NativeObEnvironment.parse(name) })

        /**
         * Another host, such as the local sandbox: `https://`, or `http://` on loopback.
         * [tokenBaseUrl] is where `/oauth2/token` lives (often the same host).
         */
        @JvmStatic
        @JvmOverloads
        fun custom(apiBaseUrl: String, tokenBaseUrl: String? = null, requiresMtls: Boolean = false): OpenBankingEnvironment {
            var env = native { NativeObEnvironment.custom(apiBaseUrl) }
            if (tokenBaseUrl != null) env = native { env.withTokenBaseUrl(tokenBaseUrl) }
            return OpenBankingEnvironment(env.withMtls(requiresMtls))
        }
    }
}
