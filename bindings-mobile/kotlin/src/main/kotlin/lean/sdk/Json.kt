package lean.sdk

import java.math.BigDecimal
import java.math.BigInteger

/**
 * Writes a map of form values as JSON for the core, which validates it. Only writing is
 * needed here (the core parses); so the SDK carries no JSON library. A [BigDecimal] is
 * written as exact decimal text; a `Double` or `Float` is written as a JSON number, which
 * the core refuses for amounts (`invalid_type`) because it may be inexact.
 */
internal object Json {
    fun write(value: Any?): String = StringBuilder().also { write(it, value) }.toString()

    private fun write(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is String -> string(out, value)
            is Boolean -> out.append(value)
            is BigDecimal -> string(out, decimalText(value))
            is Int, is Long, is Short, is Byte, is BigInteger -> out.append(value)
            is Double -> if (value.isFinite()) out.append(value) else string(out, value.toString())
            is Float -> if (value.isFinite()) out.append(value) else string(out, value.toString())
            is Map<*, *> -> {
                out.append('{')
                value.entries.forEachIndexed { i, (k, v) ->
                    if (i > 0) out.append(',')
                    string(out, k.toString())
                    out.append(':')
                    write(out, v)
                }
                out.append('}')
            }
            is Iterable<*> -> array(out, value.toList())
            is Array<*> -> array(out, value.toList())
            else -> string(out, value.toString())
        }
    }

    /**
     * [value] as decimal text for the core, which validates it. Plain notation when that is
     * about as long as the number's own digits; otherwise (`1E+900000000`, whose plain form
     * is 900 million characters) the short scientific form, which the core refuses as the
     * named field's error without anything being expanded.
     */
    fun decimalText(value: BigDecimal): String {
        val zerosToWrite = if (value.scale() < 0) -value.scale().toLong() else value.scale().toLong() - value.precision()
        return if (zerosToWrite <= MAX_PLAIN_PADDING) value.toPlainString() else value.toString()
    }

    /** More zeros than any amount the core accepts needs (it takes at most 12 digits and 2 decimals). */
    private const val MAX_PLAIN_PADDING = 64L

    private fun array(out: StringBuilder, items: List<Any?>) {
        out.append('[')
        items.forEachIndexed { i, v ->
            if (i > 0) out.append(',')
            write(out, v)
        }
        out.append(']')
    }

    private fun string(out: StringBuilder, s: String) {
        out.append('"')
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c < ' ' -> out.append("\\u%04x".format(c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }
}
