package lean.sdk.openbanking

import java.io.ByteArrayInputStream
import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyFactory
import java.security.KeyStore
import java.security.PrivateKey
import java.security.SecureRandom
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.security.spec.PKCS8EncodedKeySpec
import java.util.Base64
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import lean.sdk.ConfigurationException

/**
 * The application's client certificate for mutual TLS, which Lean's production hosts (and
 * `uae-sandbox-mtls`) require: the certificate chain and its private key, plus Lean's CA chain
 * to trust. [sslContext] is what the client's `HttpUrlConnectionTransport` presents; any other
 * `javax.net.ssl` client (OkHttp, Ktor) can use it too. The key is never printed.
 */
class MtlsCredentials private constructor(
    /** A TLS context that presents the certificate and trusts [fromPem]'s `caChain`. */
    val sslContext: SSLContext,
) {
    override fun toString() = "MtlsCredentials(<private key redacted>)"

    companion object {
        /**
         * From PEM text: [certificateChain] (the application's certificate first, then any
         * intermediates), [privateKey] (PKCS#8, `-----BEGIN PRIVATE KEY-----`, EC or RSA) and
         * [caChain] (the CAs the server's certificate must chain to; `null` keeps the
         * platform's trust store). Throws [ConfigurationException] naming what is wrong.
         */
        @JvmStatic
        @JvmOverloads
        fun fromPem(certificateChain: String, privateKey: String, caChain: String? = null): MtlsCredentials {
            val chain = certificates("certificateChain", certificateChain)
            val key = privateKey(privateKey)
            val password = CharArray(16).also { p ->
                val random = SecureRandom()
                for (i in p.indices) p[i] = 'a' + random.nextInt(26)
            }
            val keys = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
                load(null, null)
                try {
                    setKeyEntry("client", key, password, chain.toTypedArray())
                } catch (e: java.security.KeyStoreException) {
                    throw ConfigurationException("mTLS: the private key does not match the certificate chain (${e.javaClass.simpleName})")
                }
            }
            val keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
                .apply { init(keys, password) }.keyManagers
            val trustManagers = caChain?.let { pem ->
                val trusted = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
                    load(null, null)
                    certificates("caChain", pem).forEachIndexed { i, cert -> setCertificateEntry("ca$i", cert) }
                }
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(trusted) }.trustManagers
            }
            val context = SSLContext.getInstance("TLS")
            context.init(keyManagers, trustManagers, null)
            return MtlsCredentials(context)
        }

        /** From PEM files, as [fromPem]. */
        @JvmStatic
        @JvmOverloads
        fun fromPemFiles(certificateChain: Path, privateKey: Path, caChain: Path? = null): MtlsCredentials =
            fromPem(read(certificateChain), read(privateKey), caChain?.let(::read))

        private fun read(path: Path): String = try {
            String(Files.readAllBytes(path), Charsets.UTF_8)
        } catch (e: java.io.IOException) {
            throw ConfigurationException("mTLS: cannot read $path: ${e.javaClass.simpleName}")
        }

        private fun certificates(what: String, pem: String): List<X509Certificate> {
            val certs = try {
                CertificateFactory.getInstance("X.509")
                    .generateCertificates(ByteArrayInputStream(pem.trim().toByteArray(Charsets.US_ASCII)))
                    .filterIsInstance<X509Certificate>()
            } catch (e: java.security.cert.CertificateException) {
                throw ConfigurationException("mTLS $what: not PEM certificates (-----BEGIN CERTIFICATE-----): ${e.message}")
            }
            if (certs.isEmpty()) throw ConfigurationException("mTLS $what: no certificate found (expected -----BEGIN CERTIFICATE-----)")
            return certs
        }

        /** Reads a PKCS#8 key, EC or RSA. Messages never quote the key. */
        private fun privateKey(pem: String): PrivateKey {
            val begin = "-----BEGIN PRIVATE KEY-----"
            val end = "-----END PRIVATE KEY-----"
            val start = pem.indexOf(begin)
            val stop = pem.indexOf(end)
            if (start < 0 || stop < start) {
                val legacy = Regex("-----BEGIN (EC|RSA|ENCRYPTED) PRIVATE KEY-----").find(pem)?.groupValues?.get(1)
                val hint = when (legacy) {
                    null -> "expected a PEM block -----BEGIN PRIVATE KEY-----"
                    "ENCRYPTED" -> "an encrypted key: decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)"
                    else -> "a $legacy key in its legacy format: convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt -in key.pem)"
                }
                throw ConfigurationException("mTLS privateKey: $hint")
            }
            val der = try {
                Base64.getMimeDecoder().decode(pem.substring(start + begin.length, stop))
            } catch (e: IllegalArgumentException) {
                throw ConfigurationException("mTLS privateKey: the PEM block is not valid base64")
            }
            for (algorithm in listOf("EC", "RSA")) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(PKCS8EncodedKeySpec(der))
                } catch (e: Exception) {
                    // Not this algorithm: try the next.
                }
            }
            throw ConfigurationException("mTLS privateKey: not an EC or RSA PKCS#8 key")
        }
    }
}
