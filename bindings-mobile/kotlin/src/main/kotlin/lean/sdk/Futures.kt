package lean.sdk

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runInterruptible

/**
 * Runs a client's suspend calls as [CompletableFuture]s, for Java callers: the one bridge
 * behind `LeanClient.async()` and `OpenBankingClient.async()`. The scope belongs to the
 * client, which cancels it on `close()`, so no call outlives its client.
 *
 * Cancelling a future (or completing it otherwise, as `orTimeout` does) cancels its call,
 * with the future's own [CancellationException] as the cause: when the call has ended, that
 * exception (the one `get()` and `join()` throw) carries what it had sent, as a Kotlin
 * cancellation does ([interruptedCall]).
 */
internal class Futures(name: String) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default + CoroutineName(name))

    fun <T> of(call: suspend () -> T): CompletableFuture<T> {
        val future = CompletableFuture<T>()
        val job = scope.launch {
            try {
                future.complete(call())
            } catch (e: Throwable) {
                future.completeExceptionally(e)
            }
        }
        // A client closed before the call started: the job never runs its block.
        job.invokeOnCompletion { cause -> if (cause != null) future.completeExceptionally(cause) }
        future.whenComplete { _, e ->
            if (e != null) job.cancel(e as? CancellationException ?: CancellationException("the future was completed: $e", e))
        }
        return future
    }

    override fun close() = scope.cancel("the client was closed")
}

/**
 * Runs blocking I/O on [Dispatchers.IO], interrupted when the coroutine is cancelled; the
 * cancellation rethrown is the coroutine's own (which a cancelled future's exception is), so
 * the report of what the call had sent reaches whoever cancelled it.
 */
internal suspend fun <T> blockingIo(block: () -> T): T = try {
    runInterruptible(Dispatchers.IO, block)
} catch (e: CancellationException) {
    currentCoroutineContext().ensureActive()
    throw e
}
