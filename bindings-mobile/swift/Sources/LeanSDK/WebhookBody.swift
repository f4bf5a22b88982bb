import Foundation

extension Webhooks {
    /// The default limit of `readBody`: far above any Lean webhook (a few KiB), far below
    /// what would hurt a server.
    public static let defaultBodyLimit = 1 << 20

    /// Reads a webhook's raw body from a server's request stream, at most `limit` bytes. A
    /// webhook endpoint is open to anyone, and an unbounded read lets any caller make the
    /// process buffer whatever it sends. `declaredLength` is the request's `Content-Length`
    /// (nil when absent): a larger one is refused before anything is read. Throws a
    /// `LeanError` of kind `.payloadTooLarge` (answer its `status`, 413) as soon as the body
    /// passes the limit, having read at most one byte past it. Opens the stream if needed and
    /// leaves it open.
    public static func readBody(from stream: InputStream, declaredLength: Int? = nil,
                                limit: Int = defaultBodyLimit) throws -> Data {
        if let declaredLength, declaredLength > limit { throw tooLarge(limit) }
        if stream.streamStatus == .notOpen { stream.open() }
        var body = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            // One byte more than the limit is asked for: reading it is how a body over it shows.
            let wanted = min(chunk.count, limit + 1 - body.count)
            let n = stream.read(&chunk, maxLength: wanted)
            if n < 0 {
                throw LeanError(code: "invalid_payload",
                                message: "the webhook body could not be read: \(stream.streamError.map { "\($0)" } ?? "stream error")")
            }
            if n == 0 { return body }
            body.append(chunk, count: n)
            if body.count > limit { throw tooLarge(limit) }
        }
    }

    /// `readBody` for a body that arrives as chunks (a server framework's request body):
    /// stops at the first chunk that takes it past `limit`.
    public static func readBody<Chunks: AsyncSequence>(from chunks: Chunks, declaredLength: Int? = nil,
                                                       limit: Int = defaultBodyLimit) async throws -> Data
    where Chunks.Element == Data {
        if let declaredLength, declaredLength > limit { throw tooLarge(limit) }
        var body = Data()
        for try await chunk in chunks {
            if chunk.count > limit - body.count { throw tooLarge(limit) }
            body.append(chunk)
        }
        return body
    }

    static func tooLarge(_ limit: Int) -> LeanError {
        LeanError(code: "payload_too_large",
                  message: "the webhook body is larger than \(limit) bytes; Lean's webhooks are far smaller "
                      + "(raise the limit if yours are not), so answer 413",
                  status: 413)
    }
}
