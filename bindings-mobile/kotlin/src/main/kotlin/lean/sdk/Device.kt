package lean.sdk

import lean.sdk.ffi.PartnerSecret
import lean.sdk.ffi.refuseSecretOnDevice

/**
 * Where this code runs: in an app on a customer's phone, a partner secret (the payouts API key,
 * the open-banking client secret, the mTLS private key) can be extracted by anyone who has the
 * app, so clients built with one refuse to start there unless the caller opts in.
 */
internal object Device {
    /** The opt-in as Kotlin callers write it, named in the refusal. */
    private const val OPT_IN = "dangerouslyAllowSecretsOnDevice = true"

    /** True on Android; tests set it to exercise the refusal on the JVM. */
    @Volatile
    var isApp: Boolean = System.getProperty("java.vendor").orEmpty().contains("Android", ignoreCase = true) ||
        System.getProperty("java.vm.vendor").orEmpty().contains("Android", ignoreCase = true)

    /** Throws [ConfigurationException] for [secret] in an app, unless [allowed]. */
    fun check(secret: PartnerSecret, allowed: Boolean) {
        if (isApp && !allowed) native { refuseSecretOnDevice(secret, OPT_IN) }
    }
}
