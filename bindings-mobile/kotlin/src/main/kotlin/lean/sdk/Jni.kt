package lean.sdk

import com.sun.jna.Library
import com.sun.jna.NativeLibrary
import java.nio.ByteBuffer
import lean.sdk.ffi.FfiConverter
import lean.sdk.ffi.FfiConverterTypeErrorDetails

/**
 * The library's JNI entry points (`bindings-mobile/src/jvm.rs`), for every call made per
 * request, per keystroke or per webhook. Each generated uniffi call allocates JNA structures
 * (tens of microseconds on the JVM); a JNI native method costs tens of nanoseconds and reads
 * a `byte[]` in place. Values still cross in uniffi's serialisation, written and read by the
 * generated converters, so nothing here knows a record's layout. Objects are named by
 * handles, which the library refuses once released.
 *
 * Results are byte arrays read with [result]: a status byte, then the value or the error's
 * details. A call's step is read by [CallRunner].
 */
internal object Jni {
    init {
        // The same file JNA loaded for the generated binding (one copy of the library, one
        // table of handles); on Android, the APK's library by name.
        val name = System.getProperty("uniffi.component.lean_sdk_mobile.libraryOverride") ?: "lean_sdk_mobile"
        val file = NativeLibrary.getInstance(name, mapOf(Library.OPTION_CLASSLOADER to Jni::class.java.classLoader)).file
        if (file != null && file.isFile) System.load(file.absolutePath) else System.loadLibrary(name)
    }

    /** Null when the operation in [args] (see [Args]) is valid, else a result with its error. */
    @JvmStatic external fun check(args: ByteArray): ByteArray?

    /**
     * Starts a payouts call under the configuration [config]: its handle, then its first step.
     * The engine's 32 random bytes come as four longs (big-endian, [entropy0] first): no array
     * to allocate here and read there.
     */
    @JvmStatic external fun start(
        config: Long,
        args: ByteArray,
        entropy0: Long,
        entropy1: Long,
        entropy2: Long,
        entropy3: Long,
    ): ByteArray

    /** The next step of [call], after a wait. */
    @JvmStatic external fun poll(call: Long): ByteArray

    /** Reports the answer to [call]'s last request ([headers] from [Args.headers]); its next step. */
    @JvmStatic external fun received(call: Long, status: Int, headers: ByteArray, body: ByteArray): ByteArray

    /** Reports that [call]'s last request got no answer (0 connect, 1 timeout, 2 other); its next step. */
    @JvmStatic external fun failed(call: Long, kind: Int, message: ByteArray): ByteArray

    /**
     * Ends [call], interrupted mid-flight (cancelled, or its transport threw): always a result
     * holding the error that says what it sent ([reason] in UTF-8).
     */
    @JvmStatic external fun interrupt(call: Long, reason: ByteArray): ByteArray

    /** 0 when [signature] matches [payload] under the verifier [verifier], 1 when not, -1 when released. */
    @JvmStatic external fun verify(verifier: Long, payload: ByteArray, signature: String?): Int

    /** Releases a handle of any kind; false when it was not live. */
    @JvmStatic external fun release(handle: Long): Boolean

    /** How many handles are live, for the leak tests. */
    @JvmStatic external fun liveHandles(): Int

    /** Panics inside the library's guard, for the tests: a result with an `internal` error. */
    @JvmStatic external fun panicForTests(message: ByteArray): ByteArray

    /** The value of a result, positioned after the status byte; throws the error it holds. */
    fun result(bytes: ByteArray?): ByteBuffer {
        if (bytes == null || bytes.isEmpty()) throw InternalException("internal error in lean-sdk (please report it): no result")
        val buf = ByteBuffer.wrap(bytes, 1, bytes.size - 1)
        if (bytes[0] != OK) throw FfiConverterTypeErrorDetails.read(buf).toException()
        return buf
    }

    private const val OK: Byte = 0
}

/** [value] in uniffi's serialisation, as the generated converter writes it. */
internal fun <T> FfiConverter<T, *>.encode(value: T): ByteArray =
    ByteBuffer.allocate(allocationSize(value).toInt()).also { write(value, it) }.let { it.array().copyOf(it.position()) }

/**
 * Arguments for [Jni.start] and [Jni.check]: the operation's camelCase name (or `fromJson`),
 * then its constructor's arguments in uniffi's serialisation (a string is its UTF-8 length
 * as a big-endian `i32`, then the bytes; an optional is a byte 0 or 1, then the value; a
 * record is its fields in order). The input records are written here field by field rather
 * than by the generated converters, whose string encoder costs more than the whole check
 * on the Rust side; a test holds both to the same bytes.
 */
internal class Args(operation: String) {
    private var bytes = ByteArray(256)
    private var size = 0

    init {
        string(operation)
    }

    /**
     * Appends a string. ASCII text (ids, amounts, times: nearly every field) is its own UTF-8,
     * written char by char with no array per string; anything else is encoded by the JDK.
     */
    fun string(value: String): Args {
        val length = value.length
        reserve(4 + length)
        val start = size + 4
        var i = 0
        while (i < length) {
            val c = value[i]
            if (c.code >= 0x80) break
            bytes[start + i] = c.code.toByte()
            i++
        }
        val n = if (i == length) {
            length
        } else {
            val utf8 = value.toByteArray(Charsets.UTF_8)
            reserve(4 + utf8.size)
            utf8.copyInto(bytes, start)
            utf8.size
        }
        bytes[size] = (n ushr 24).toByte()
        bytes[size + 1] = (n ushr 16).toByte()
        bytes[size + 2] = (n ushr 8).toByte()
        bytes[size + 3] = n.toByte()
        size = start + n
        return this
    }

    /** Appends an optional string. */
    fun optional(value: String?): Args {
        reserve(1)
        bytes[size++] = if (value == null) 0 else 1
        return if (value == null) this else string(value)
    }

    /** Appends a [NewGig]. */
    fun record(g: NewGig) = string(g.partnerUserId).string(g.totalAmount).string(g.tips).string(g.expenses)
        .string(g.description).string(g.gigId).string(g.startTime).string(g.endTime)

    /** Appends a [NewCustomer]. */
    fun record(c: NewCustomer) = string(c.firstName).optional(c.middleName).string(c.lastName).string(c.birthday)
        .string(c.phoneNumber).string(c.email).string(c.street).optional(c.street2).string(c.city).string(c.state)
        .string(c.postalCode).string(c.partnerUserId).string(c.registrationDate)

    /** Appends a [CustomerUpdate]. */
    fun record(u: CustomerUpdate) = optional(u.firstName).optional(u.middleName).optional(u.lastName)
        .optional(u.birthday).optional(u.phoneNumber).optional(u.email).optional(u.street).optional(u.street2)
        .optional(u.city).optional(u.state).optional(u.postalCode).optional(u.registrationDate)

    /** Appends a [NewSpecialPayment]. */
    fun record(p: NewSpecialPayment) = string(p.partnerUserId).string(p.amount).string(p.paymentType)
        .optional(p.gigId).optional(p.description).optional(p.userdataJson)

    /** The bytes written. */
    fun bytes(): ByteArray = bytes.copyOf(size)

    private fun reserve(n: Int) {
        if (size + n > bytes.size) bytes = bytes.copyOf(maxOf(bytes.size * 2, size + n))
    }
}
