package lean.sdk

import java.io.File
import java.net.HttpURLConnection
import java.net.URI

/**
 * Starts the local sandbox binary the end-to-end tests run (`-Dlean.sandbox`, which
 * scripts/test.d/50-kotlin.sh sets) with [args], its errors shown in the test output; the
 * caller reads the addresses it prints and destroys it.
 */
internal fun startSandbox(vararg args: String): Process {
    val binary = System.getProperty("lean.sandbox")
        ?: error("set -Dlean.sandbox=<path to target/debug/lean-sandbox> (scripts/test kotlin does)")
    check(File(binary).canExecute()) { "$binary is not an executable" }
    return ProcessBuilder(binary, *args).redirectError(ProcessBuilder.Redirect.INHERIT).start()
}

/** POSTs [json] to one of the sandbox's admin routes at [url]; returns the status and the answer's text. */
internal fun postJson(url: String, json: String): Pair<Int, String> {
    val connection = URI(url).toURL().openConnection() as HttpURLConnection
    connection.requestMethod = "POST"
    connection.doOutput = true
    connection.setRequestProperty("content-type", "application/json")
    connection.outputStream.use { it.write(json.toByteArray()) }
    val status = connection.responseCode
    val text = (if (status < 400) connection.inputStream else connection.errorStream)?.use { String(it.readBytes()) } ?: ""
    return status to text
}
