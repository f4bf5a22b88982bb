package lean.sdk

import java.math.BigDecimal
import lean.sdk.openbanking.Auth
import lean.sdk.openbanking.OpenBankingClient
import lean.sdk.openbanking.OpenBankingEnvironment
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** In an app (Android, emulated here), a client built with a partner secret refuses to start. */
class DeviceSecretsTest {
    @BeforeEach
    fun inAnApp() {
        Device.isApp = true
    }

    @AfterEach
    fun onAServer() {
        Device.isApp = false
    }

    @Test
    fun `the payouts API key is refused with the backend pattern and the opt-in named`() {
        val refused = assertThrows<ConfigurationException> { LeanClient("sk_device_key") }
        val message = refused.message.orEmpty()
        for (part in listOf("the payouts API key", "your backend", "dangerouslyAllowSecretsOnDevice = true")) {
            assertTrue(part in message, "$part missing from: $message")
        }
        assertTrue("sk_device_key" !in message)
        LeanClient("sk_device_key", dangerouslyAllowSecretsOnDevice = true).close()
    }

    @Test
    fun `the client secret is refused, the app token is not`() {
        val env = OpenBankingEnvironment.custom("http://127.0.0.1:9", tokenBaseUrl = "http://127.0.0.1:9")
        val refused = assertThrows<ConfigurationException> {
            OpenBankingClient(Auth.clientCredentials("client-id", "client-secret-on-device"), env)
        }
        assertTrue("the open-banking client secret" in refused.message.orEmpty())
        assertTrue("client-secret-on-device" !in refused.message.orEmpty())
        OpenBankingClient(Auth.clientCredentials("client-id", "s"), env, dangerouslyAllowSecretsOnDevice = true)
        OpenBankingClient(Auth.appToken("app-token"))
    }

    @Test
    fun `what an app needs works without any secret`() {
        validate(NewGig("uid_1", BigDecimal("15.00"), BigDecimal("3.00"), BigDecimal("2.00"), "Gig", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05"))
        assertThrows<ValidationException> {
            validate(NewGig("uid_1", BigDecimal("1.00"), BigDecimal("3.00"), BigDecimal("2.00"), "Gig", "g1", "2021-03-01T21:04:04", "2021-03-01T21:31:05"))
        }
    }
}
