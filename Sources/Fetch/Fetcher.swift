import CCurl
import Foundation
import IngestCore
import Logging
import Synchronization

/// The Fetch stage: turns a `FeedSource` into raw bytes plus what later stages need to
/// read them (final URL, status, headers, validators).
///
/// HTTP goes through one libcurl multi handle on a dedicated thread (see `CurlDriver`);
/// `fetch` only enqueues and suspends, so thousands of concurrent calls cost no threads.
/// Files and plain paths are read from disk under the same size cap. Every failure comes
/// back as a `SourceFailure` naming the source and the reason; nothing here throws or traps
/// on bad input.
public final class Fetcher: Sendable {
    public let configuration: FetchConfiguration
    /// Started by the first HTTP fetch (or `startTransfers`): a run over local files never
    /// initialises libcurl or OpenSSL, nor starts the transfer thread, which lowered its peak
    /// by 2-3 MB of a 64 MB budget (`scripts/bench-memory.py`, 10 to 3,474 feeds).
    private let driverState = Mutex(DriverState.idle)
    private let counters = Mutex(FetchStatistics())

    private let logger: Logger

    /// `logger` gets one debug line per retry; failures themselves travel as results.
    public init(configuration: FetchConfiguration = .init(), logger: Logger = Logger(label: "ingest.fetch")) throws {
        self.configuration = configuration
        self.logger = logger
    }

    deinit { shutdown() }

    /// Stops the transfer thread. Fetches still queued or running fail with kind `.other`;
    /// later calls to `fetch` fail the same way. Safe to call more than once.
    public func shutdown() {
        let running = driverState.withLock { state -> CurlDriver? in
            defer { state = .shutDown }
            if case .running(let driver) = state { return driver }
            return nil
        }
        running?.shutdown()
    }

    /// Starts libcurl and the transfer thread now rather than at the first HTTP fetch, for a
    /// run that knows it will fetch over HTTP: if libcurl cannot start, the run stops at once
    /// with the reason instead of failing every feed with it.
    public func startTransfers() throws {
        if case .failure(let error) = startedDriver() { throw error }
    }

    /// Whether the transfer thread has been started, for tests.
    var startedTransfers: Bool {
        driverState.withLock { state in
            if case .running = state { return true }
            return false
        }
    }

    private enum DriverState {
        case idle
        case running(CurlDriver)
        case failed(FetchSetupError)
        case shutDown
    }

    /// The transfer driver, started on first use; or why there is none.
    private func startedDriver() -> Result<CurlDriver, FetchSetupError> {
        driverState.withLock { state in
            switch state {
            case .running(let driver): return .success(driver)
            case .failed(let error): return .failure(error)
            case .shutDown: return .failure(FetchSetupError(description: "the fetcher was shut down"))
            case .idle:
                let code = ingest_curl_global_init_once()
                do {
                    guard code == CURLE_OK else {
                        throw FetchSetupError(description: "libcurl: curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
                    }
                    let driver = try CurlDriver(configuration: configuration)
                    state = .running(driver)
                    return .success(driver)
                } catch {
                    let failure = error as? FetchSetupError ?? FetchSetupError(description: "\(error)")
                    state = .failed(failure)
                    return .failure(failure)
                }
            }
        }
    }

    public var statistics: FetchStatistics { counters.withLock { $0 } }

    /// Whether `location` is read from disk rather than fetched over HTTP. A disk read takes
    /// no time worth overlapping, so callers need not read ahead of their consumer.
    public static func readsFromDisk(_ location: String) -> Bool {
        if case .file = SourceLocation(location) { return true }
        return false
    }

    /// The version string of the libcurl in use, for `--version` and diagnostics.
    public static var libcurlVersion: String { String(cString: ingest_curl_version()) }

    /// Fetches one source. Never throws: every problem is a `SourceFailure` of stage `.fetch`.
    ///
    /// - Success: a 2xx (body decoded per `Content-Encoding`) or a 304 (empty body,
    ///   `isNotModified`), with the final URL after redirects and the final response's
    ///   headers; files and paths succeed with `httpStatus == nil` and a `file://` final URL.
    /// - Failure kinds: `.httpStatus` (other statuses; `retryable` for 5xx, 408, 429, with
    ///   `retryAfterSeconds`), `.timeout`, `.network`, `.tooLarge`, `.refused` (scheme other
    ///   than http/https/file, also on redirect; more than `maxRedirects`; bad URL), `.io`
    ///   (local file), `.malformed` (undecodable Content-Encoding), `.other` (cancelled or
    ///   shut down), `.notStarted` (`request.startsOnlyIf` said no when its turn came). Retryable failures were already retried `configuration.retries` times.
    /// - Cancelling the calling task aborts the transfer (or the wait before a retry).
    public func fetch(_ request: FetchRequest) async -> Result<FetchedDocument, SourceFailure> {
        let result: Result<FetchedDocument, SourceFailure>
        if let admit = request.startsOnlyIf, !admit() {
            return .failure(SourceFailure(
                source: request.source.location, stage: .fetch, kind: .notStarted,
                reason: "not started: no new fetches are being taken"))
        }
        switch SourceLocation(request.source.location) {
        case .http(let url, let hostKey):
            result = await fetchHTTP(request, url: url, hostKey: hostKey)
        case .file(let path, let fileURL):
            result = LocalFileReader.read(path: path, fileURL: fileURL, source: request.source, cap: configuration.maxBytes)
        case .refused(let reason):
            result = .failure(SourceFailure(source: request.source.location, stage: .fetch, kind: .refused, reason: reason))
        }
        counters.withLock { stats in
            switch result {
            case .success(let document):
                if document.isNotModified { stats.notModified += 1 } else { stats.succeeded += 1 }
                stats.bodyBytes += document.body.count
            case .failure:
                stats.failed += 1
            }
        }
        return result
    }

    /// Unconditional fetch of `source`.
    public func fetch(_ source: FeedSource) async -> Result<FetchedDocument, SourceFailure> {
        await fetch(FetchRequest(source: source))
    }

    private func fetchHTTP(_ request: FetchRequest, url: String, hostKey: String) async -> Result<FetchedDocument, SourceFailure> {
        let clock = ContinuousClock()
        let started = clock.now
        let fetchedAt = Date()
        var headers: [String] = []
        if let etag = request.etag, !etag.isEmpty { headers.append("If-None-Match: \(etag)") }
        if let lastModified = request.lastModified, !lastModified.isEmpty {
            headers.append("If-Modified-Since: \(lastModified)")
        }
        var spec = TransferSpec(url: url, extraHeaders: headers, hostKey: hostKey, admit: request.startsOnlyIf)
        let driver: CurlDriver
        switch startedDriver() {
        case .success(let started): driver = started
        case .failure(let error):
            return OutcomeJudge.judge(
                .aborted(error.description, cancelled: false), source: request.source, requestedURL: url,
                configuration: configuration)
        }
        var attempt = 0
        while true {
            let outcome = await driver.perform(spec)
            // Only a fetch that has begun may be retried; retries are never refused.
            spec.admit = nil
            if outcome.notStarted {
                return OutcomeJudge.judge(outcome, source: request.source, requestedURL: url, configuration: configuration)
            }
            counters.withLock { $0.attempts += 1 }
            let judged = OutcomeJudge.judge(outcome, source: request.source, requestedURL: url, configuration: configuration)
            switch judged {
            case .success(var document):
                document.fetchedAt = fetchedAt
                document.elapsed = clock.now - started
                return .success(document)
            case .failure(var failure):
                let canRetry = failure.retryable && attempt < configuration.retries && !Task.isCancelled
                if canRetry {
                    let delay = RetryPolicy.delay(
                        attempt: attempt, retryAfterSeconds: failure.retryAfterSeconds, configuration: configuration)
                    logger.debug("retrying after failure", metadata: [
                        "source": "\(request.source.location)", "reason": "\(failure.reason)",
                        "attempt": "\(attempt + 2)", "delay": "\(delay)",
                    ])
                    do {
                        try await Task.sleep(for: delay)
                    } catch {
                        failure.reason += " (retry cancelled)"
                        return .failure(failure)
                    }
                    attempt += 1
                    counters.withLock { $0.retries += 1 }
                    continue
                }
                if attempt > 0 { failure.reason += " (after \(attempt + 1) attempts)" }
                return .failure(failure)
            }
        }
    }
}

/// How a user-given location is reached.
enum SourceLocation: Equatable {
    /// `hostKey` groups transfers for the per-host limit: scheme, host and port.
    case http(url: String, hostKey: String)
    case file(path: String, fileURL: String)
    case refused(String)

    init(_ location: String) {
        let trimmed = location.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            self = .refused("empty location: expected an http(s):// URL, a file:// URL or a path")
            return
        }
        if let schemeEnd = trimmed.range(of: "://") {
            let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
            switch scheme {
            case "http", "https":
                guard let (url, hostKey) = Self.normalizeHTTP(trimmed, scheme: scheme, authorityStart: schemeEnd.upperBound) else {
                    self = .refused("malformed URL: \(trimmed)")
                    return
                }
                self = .http(url: url, hostKey: hostKey)
            case "file":
                guard let url = URL(string: trimmed), url.isFileURL || scheme == "file" else {
                    self = .refused("malformed file URL: \(trimmed)")
                    return
                }
                let host = url.host ?? ""
                guard host.isEmpty || host.lowercased() == "localhost" else {
                    self = .refused("file URL names a remote host '\(host)'; only local files can be read")
                    return
                }
                let path = url.path
                guard !path.isEmpty else {
                    self = .refused("file URL has no path: \(trimmed)")
                    return
                }
                self = .file(path: path, fileURL: URL(fileURLWithPath: path).absoluteString)
            default:
                self = .refused("scheme '\(scheme)' is not supported (only http, https, file:// URLs and paths)")
            }
            return
        }
        // `mailto:x`, `data:...`, `javascript:...`: a scheme without `//`, and no such file.
        if let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("/"), !trimmed.hasPrefix("."),
            trimmed[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
            trimmed[..<colon].first?.isLetter == true,
            !FileManager.default.fileExists(atPath: trimmed)
        {
            let scheme = trimmed[..<colon].lowercased()
            self = .refused("scheme '\(scheme)' is not supported (only http, https, file:// URLs and paths)")
            return
        }
        let expanded = NSString(string: trimmed).expandingTildeInPath
        let url = URL(fileURLWithPath: expanded).standardizedFileURL
        self = .file(path: url.path, fileURL: url.absoluteString)
    }
}

extension SourceLocation {
    /// Percent-encodes what real feed lists contain but URLs may not (spaces, Chinese paths,
    /// stray quotes) and drops the fragment; the host is left to libcurl (IDN included).
    /// Returns nil when there is no host or the port is not a number.
    static func normalizeHTTP(_ text: String, scheme: String, authorityStart: String.Index) -> (url: String, hostKey: String)? {
        let rest = text[authorityStart...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") { hostPort = authority[authority.index(after: at)...] }
        var host = Substring(hostPort)
        var port = scheme == "https" ? 443 : 80
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            host = hostPort[...close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { return nil }
                port = number
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            let digits = hostPort[hostPort.index(after: colon)...]
            if !digits.isEmpty {
                guard let number = Int(digits), (0...65535).contains(number) else { return nil }
                port = number
            }
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " }) else { return nil }

        var tail = rest[authorityEnd...]
        if let hash = tail.firstIndex(of: "#") { tail = tail[..<hash] }
        var encoded = ""
        for byte in tail.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "<"), byte != UInt8(ascii: ">"),
                byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "^"), byte != UInt8(ascii: "`"),
                byte != UInt8(ascii: "{"), byte != UInt8(ascii: "|"), byte != UInt8(ascii: "}")
            {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        let url = text[..<authorityEnd].description + encoded
        return (url, "\(scheme)://\(host.lowercased()):\(port)")
    }
}

/// Reads a local file under the same cap as HTTP bodies.
enum LocalFileReader {
    static func read(path: String, fileURL: String, source: FeedSource, cap: Int) -> Result<FetchedDocument, SourceFailure> {
        let clock = ContinuousClock()
        let started = clock.now
        func failure(_ kind: SourceFailure.Kind, _ reason: String) -> Result<FetchedDocument, SourceFailure> {
            .failure(SourceFailure(source: source.location, stage: .fetch, kind: kind, reason: reason))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return failure(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return failure(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return failure(.io, "cannot read \(path): it is a directory")
        }
        if Int(info.st_size) > cap {
            return failure(.tooLarge, "file \(path) is larger than the \(ByteSize.describe(cap)) cap (\(info.st_size) bytes)")
        }
        var body: [UInt8] = []
        body.reserveCapacity(max(0, Int(info.st_size)) + 1)
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                return failure(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            if body.count + n > cap {
                return failure(.tooLarge, "file \(path) is larger than the \(ByteSize.describe(cap)) cap")
            }
            body.append(contentsOf: buffer[0..<n])
        }
        body.leaveNULAfterEnd()
        return .success(FetchedDocument(
            source: source, requestedURL: fileURL, finalURL: fileURL, httpStatus: nil,
            headers: HTTPHeaders(), body: body, fetchedAt: Date(), elapsed: clock.now - started))
    }
}

enum ByteSize {
    /// `20 MB` for the default cap; exact bytes when the cap is not a round size.
    static func describe(_ bytes: Int) -> String {
        let mib = 1024 * 1024
        if bytes >= mib, bytes % mib == 0 { return "\(bytes / mib) MB" }
        if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KB" }
        return "\(bytes) bytes"
    }
}

/// Maps one libcurl attempt onto the contract's success or failure kinds.
enum OutcomeJudge {
    static func judge(
        _ outcome: TransferOutcome, source: FeedSource, requestedURL: String, configuration: FetchConfiguration
    ) -> Result<FetchedDocument, SourceFailure> {
        let location = source.location
        func failure(
            _ kind: SourceFailure.Kind, _ reason: String, status: Int? = nil, retryable: Bool = false,
            retryAfter: Int? = nil
        ) -> Result<FetchedDocument, SourceFailure> {
            .failure(SourceFailure(
                source: location, stage: .fetch, kind: kind, reason: reason, httpStatus: status,
                retryable: retryable, retryAfterSeconds: retryAfter))
        }
        if outcome.notStarted { return failure(.notStarted, outcome.curlMessage) }
        if outcome.cancelled { return failure(.other, outcome.curlMessage) }
        let code = CURLcode(rawValue: outcome.curlCode)
        switch code {
        case CURLE_OK:
            let status = outcome.status
            if (200..<300).contains(status) || status == 304 {
                return .success(FetchedDocument(
                    source: source, requestedURL: requestedURL, finalURL: outcome.finalURL, httpStatus: status,
                    headers: outcome.headers, body: status == 304 ? [] : outcome.body, fetchedAt: Date()))
            }
            let retryable = status >= 500 || status == 408 || status == 429
            let retryAfter = outcome.headers["Retry-After"].flatMap { RetryPolicy.parseRetryAfter($0, now: Date()) }
            var reason = "HTTP \(status)"
            if let phrase = statusPhrase(status) { reason += " \(phrase)" }
            if outcome.finalURL != requestedURL { reason += " from \(outcome.finalURL)" }
            if let retryAfter { reason += " (Retry-After \(retryAfter) s)" }
            return failure(.httpStatus, reason, status: status, retryable: retryable, retryAfter: retryAfter)
        case CURLE_WRITE_ERROR where outcome.exceededCap, CURLE_FILESIZE_EXCEEDED:
            return failure(.tooLarge, "response larger than \(ByteSize.describe(configuration.maxBytes)) cap")
        case CURLE_UNSUPPORTED_PROTOCOL:
            let target = outcome.headers["Location"].map { " to \($0)" } ?? ""
            return failure(.refused, "redirect\(target) refused: only http and https are allowed (\(outcome.curlMessage))")
        case CURLE_TOO_MANY_REDIRECTS:
            return failure(.refused, "more than \(configuration.maxRedirects) redirects (last: \(outcome.finalURL))")
        case CURLE_URL_MALFORMAT:
            return failure(.refused, "malformed URL: \(outcome.curlMessage)")
        case CURLE_OPERATION_TIMEDOUT:
            let message = outcome.curlMessage
            let reason: String
            if message.contains("too slow") {
                reason = "transfer slower than \(configuration.lowSpeedBytesPerSecond) bytes/s for \(configuration.lowSpeedTime.secondsRoundedUp()) s (low-speed limit)"
            } else if message.lowercased().contains("connect") || message.lowercased().contains("resolv") {
                reason = "no connection within \(describe(configuration.connectTimeout)) (connect timeout)"
            } else {
                reason = "not complete within \(describe(configuration.totalTimeout)) (total timeout)"
            }
            return failure(.timeout, reason, retryable: true)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_WEIRD_SERVER_REPLY:
            return failure(.network, outcome.curlMessage, retryable: true)
        case CURLE_BAD_CONTENT_ENCODING:
            return failure(.malformed, "cannot decode the response's Content-Encoding: \(outcome.curlMessage)")
        case CURLE_ABORTED_BY_CALLBACK:
            return failure(.other, outcome.curlMessage)
        default:
            return failure(.network, outcome.curlMessage)
        }
    }

    private static func describe(_ duration: Duration) -> String {
        let ms = duration.milliseconds()
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }

    private static func statusPhrase(_ status: Int) -> String? {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: nil
        }
    }
}

/// When to try again.
enum RetryPolicy {
    /// Exponential backoff with jitter (between half and all of `base × 2^attempt`), raised
    /// to the server's `Retry-After` when it asks for more, and never above `maxRetryDelay`.
    static func delay(attempt: Int, retryAfterSeconds: Int?, configuration: FetchConfiguration) -> Duration {
        let cap = configuration.maxRetryDelay
        let exponent = min(attempt, 30)
        var backoff = configuration.retryBaseDelay * (1 << exponent)
        if backoff > cap { backoff = cap }
        let jittered = backoff * Double.random(in: 0.5...1.0)
        var delay = jittered
        if let retryAfterSeconds, retryAfterSeconds > 0 {
            delay = max(delay, .seconds(retryAfterSeconds))
        }
        return min(delay, cap)
    }

    /// `Retry-After` as delta-seconds or an HTTP date; seconds from `now`, never negative.
    static func parseRetryAfter(_ value: String, now: Date) -> Int? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return nil }
        if text.allSatisfy(\.isASCII), let seconds = Int(text) {
            return max(0, seconds)
        }
        let epoch = ingest_curl_parse_http_date(text)
        guard epoch >= 0 else { return nil }
        let delta = Double(epoch) - now.timeIntervalSince1970
        return max(0, Int(delta.rounded(.up)))
    }
}
