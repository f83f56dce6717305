import CTestGzip
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on `127.0.0.1` for tests and benchmarks, started in-process.
///
/// Why not a mock: the fetcher's behaviour (timeouts, redirects, decoding, connection reuse,
/// concurrency limits) lives in libcurl and the kernel, so only real sockets prove it.
///
/// - Binds an ephemeral port on 127.0.0.1 only; `TCP_NODELAY` is set on every connection
///   (without it Nagle meets delayed ACK and adds ~40 ms per response, making benchmarks lie).
/// - Keep-alive, one thread per connection: hundreds of simultaneous connections are fine,
///   and a handler or a `delay` may block without stalling other connections.
/// - Counts hits per path, requests in flight (current and maximum), and connections
///   accepted, so tests can check retries, concurrency bounds and connection reuse.
///
/// ```swift
/// let server = try TestHTTPServer { request in
///     switch request.path {
///     case "/feed.xml": return .text(rss, contentType: "application/rss+xml")
///     case "/gz": return .text(rss).gzipped()
///     case "/slow": return .text(rss).delayed(by: .milliseconds(100))    // latency
///     case "/moved": return .redirect(to: "/feed.xml")
///     case "/trickle": return .trickle(totalBytes: 100, chunkSize: 10, every: .milliseconds(500))
///     case "/forever": return .endless()
///     case "/huge": return .large(bytes: 30 << 20, declareLength: false)    // chunked
///     default: return .status(404)
///     }
/// }
/// defer { server.stop() }
/// let url = server.url("/feed.xml")          // "http://127.0.0.1:PORT/feed.xml"
/// #expect(server.hits(path: "/feed.xml") == 1)
/// ```
/// For a fixed site, `TestHTTPServer(routes: ["/a.xml": .text(...)])` answers 404 elsewhere.
public final class TestHTTPServer: Sendable {
    public typealias Handler = @Sendable (TestRequest) -> TestResponse

    /// The TCP port the server listens on (127.0.0.1).
    public let port: Int
    private let listenFD: Int32
    private let handler: Handler
    private let state = Mutex(ServerState())
    private let acceptExited = DispatchSemaphore(value: 0)

    /// Starts listening immediately; throws when no socket can be bound.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestHTTPServerError(errno: errno, during: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw TestHTTPServerError(errno: code, during: "bind")
        }
        guard listen(fd, 4096) == 0 else {
            let code = errno
            close(fd)
            throw TestHTTPServerError(errno: code, during: "listen")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))

        let thread = Thread { [self] in self.acceptLoop() }
        thread.name = "test-http-accept"
        thread.start()
    }

    /// A server with a fixed set of paths (query ignored); anything else is a 404.
    public convenience init(routes: [String: TestResponse]) throws {
        try self.init { request in routes[request.path] ?? .status(404) }
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// An absolute URL for `path` (which should start with `/`).
    public func url(_ path: String) -> String { baseURL + (path.hasPrefix("/") ? path : "/" + path) }

    /// Requests received for `path` (query ignored), whatever the answer.
    public func hits(path: String) -> Int { state.withLock { $0.hits[path, default: 0] } }

    /// Every request received so far.
    public var totalHits: Int { state.withLock { $0.totalHits } }

    /// The requests received for `path`, in arrival order.
    public func requests(path: String) -> [TestRequest] {
        state.withLock { $0.log.filter { $0.path == path } }
    }

    /// The requests received so far, in arrival order.
    public var allRequests: [TestRequest] { state.withLock { $0.log } }

    /// Requests being handled right now: from the end of the request head until the
    /// response is fully written (or the client went away).
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// The most requests that were in flight at the same time.
    public var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    /// TCP connections accepted so far; fewer than `totalHits` means keep-alive reuse.
    public var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }

    /// The most connections that were open at the same time.
    public var maxOpenConnections: Int { state.withLock { $0.maxOpenConnections } }

    /// Forgets hits, the request log and the maxima (for a second benchmark pass).
    public func resetStatistics() {
        state.withLock { state in
            state.hits.removeAll()
            state.totalHits = 0
            state.log.removeAll()
            state.maxInFlight = state.inFlight
            state.connectionsAccepted = 0
            state.maxOpenConnections = state.openConnections.count
        }
    }

    /// Stops accepting, closes every connection (ending delays and endless bodies) and
    /// waits for the accept thread. Idempotent.
    ///
    /// Connections are shut down under the lock their threads close them under: shut down
    /// from a list taken earlier, a descriptor its thread had closed in between could already
    /// belong to another test's socket (a server's listener, a client's connection), which then
    /// failed to connect or made one connection too many, now and then, in parallel runs.
    public func stop() {
        let wasStopped = state.withLock { state -> Bool in
            let was = state.stopped
            state.stopped = true
            return was
        }
        if wasStopped { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        acceptExited.wait()
        close(listenFD)
        state.withLock { state in
            for fd in state.openConnections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    // MARK: Connections

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                let code = errno
                if isStopped { break }
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE {
                    usleep(10_000)
                    continue
                }
                break
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let (accepted, connectionID) = state.withLock { state -> (Bool, Int) in
                if state.stopped { return (false, 0) }
                state.connectionsAccepted += 1
                state.openConnections.insert(client)
                state.maxOpenConnections = max(state.maxOpenConnections, state.openConnections.count)
                return (true, state.connectionsAccepted)
            }
            guard accepted else {
                close(client)
                break
            }
            let thread = Thread { [self] in self.serve(connection: client, id: connectionID) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        acceptExited.signal()
    }

    private func serve(connection fd: Int32, id: Int) {
        defer {
            state.withLock { state in
                state.openConnections.remove(fd)
                close(fd)
            }
        }
        var reader = RequestReader(fd: fd)
        while let head = reader.readRequest() {
            var request = head
            request.connectionID = id
            state.withLock { state in
                state.hits[request.path, default: 0] += 1
                state.totalHits += 1
                state.log.append(request)
                state.inFlight += 1
                state.maxInFlight = max(state.maxInFlight, state.inFlight)
            }
            let response = handler(request)
            let keepOpen = write(response, for: request, to: fd)
            state.withLock { $0.inFlight -= 1 }
            if !keepOpen || request.wantsClose || isStopped { return }
        }
    }

    /// Returns whether the connection can serve another request.
    private func write(_ response: TestResponse, for request: TestRequest, to fd: Int32) -> Bool {
        if response.delay > .zero, !sleepUnlessStopped(response.delay) { return false }
        var headers = response.headers
        let isHead = request.method == "HEAD"
        func has(_ name: String) -> Bool { headers.contains { $0.name.lowercased() == name.lowercased() } }
        if response.closeConnection, !has("Connection") { headers.append((name: "Connection", value: "close")) }

        switch response.body {
        case .bytes(var body):
            if response.gzip {
                body = gzipCompress(body)
                headers.append((name: "Content-Encoding", value: "gzip"))
            }
            if !has("Content-Length") { headers.append((name: "Content-Length", value: String(body.count))) }
            var bytes = head(status: response.status, headers: headers)
            if !isHead, response.status != 304, response.status != 204 { bytes += body }
            return sendAll(fd, bytes) && !response.closeConnection
        case .stream(let total, let chunkSize, let interval, let declareLength):
            if declareLength, let total {
                headers.append((name: "Content-Length", value: String(total)))
            } else {
                headers.append((name: "Transfer-Encoding", value: "chunked"))
            }
            let chunked = !(declareLength && total != nil)
            guard sendAll(fd, head(status: response.status, headers: headers)) else { return false }
            if isHead { return true }
            var sent = 0
            let size = max(1, chunkSize)
            let filler = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            while total.map({ sent < $0 }) ?? true {
                let n = total.map { min(size, $0 - sent) } ?? size
                var piece: [UInt8] = []
                if chunked { piece += Array((String(n, radix: 16) + "\r\n").utf8) }
                piece += filler[0..<n]
                if chunked { piece += Array("\r\n".utf8) }
                guard sendAll(fd, piece) else { return false }
                sent += n
                if interval > .zero, total.map({ sent < $0 }) ?? true {
                    guard sleepUnlessStopped(interval) else { return false }
                } else if isStopped {
                    return false
                }
            }
            if chunked { guard sendAll(fd, Array("0\r\n\r\n".utf8)) else { return false } }
            return !response.closeConnection
        }
    }

    private func head(status: Int, headers: [(name: String, value: String)]) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Sleeps in short steps so `stop()` ends long delays promptly; false once stopped.
    private func sleepUnlessStopped(_ duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if isStopped { return false }
            let left = deadline - ContinuousClock.now
            let step = min(left, .milliseconds(20))
            let micros = step.components.seconds * 1_000_000 + step.components.attoseconds / 1_000_000_000_000
            if micros > 0 { usleep(UInt32(micros)) }
        }
        return !isStopped
    }
}

/// A request as the handler sees it.
public struct TestRequest: Sendable {
    public var method: String
    /// The request target as sent, e.g. `/feed.xml?page=2`.
    public var target: String
    /// The target without its query, e.g. `/feed.xml`.
    public var path: String
    /// The raw query without `?`, if any.
    public var query: String?
    /// Header fields in order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Which accepted connection carried it (1-based), to observe keep-alive reuse.
    public var connectionID: Int
    public var receivedAt: Date

    /// The last value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.last { $0.name.lowercased() == lower }?.value
    }

    /// Query parameters, percent-decoded; the last of repeated names wins.
    public var queryItems: [String: String] {
        guard let query else { return [:] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1
                ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])) : ""
            items[name] = value
        }
        return items
    }

    var wantsClose: Bool { header("Connection")?.lowercased() == "close" }
}

/// What the server answers. Build with the static helpers and refine with the modifiers:
/// `.text("hi").withHeader("ETag", "\"v1\"").gzipped().delayed(by: .milliseconds(100))`.
public struct TestResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Generated `x` bytes: `total` of them (`nil`: endless), `chunkSize` per write, with
        /// `interval` between writes. Chunked unless `declareLength` and `total` is known.
        case stream(total: Int?, chunkSize: Int, interval: Duration, declareLength: Bool)
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body
    /// Compress a `.bytes` body with gzip (system zlib) and send `Content-Encoding: gzip`.
    public var gzip: Bool
    /// Wait this long before sending anything: simulated latency or a hung server.
    public var delay: Duration
    /// Send `Connection: close` and close after this response.
    public var closeConnection: Bool

    public init(
        status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        gzip: Bool = false, delay: Duration = .zero, closeConnection: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
        self.gzip = gzip
        self.delay = delay
        self.closeConnection = closeConnection
    }

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], streaming body: Body) {
        self.init(status: status, headers: headers)
        self.body = body
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> TestResponse {
        TestResponse(status: status, headers: [(name: "Content-Type", value: contentType)], body: Array(text.utf8))
    }

    public static func bytes(_ bytes: [UInt8], status: Int = 200, contentType: String = "application/octet-stream") -> TestResponse {
        TestResponse(status: status, headers: [(name: "Content-Type", value: contentType)], body: bytes)
    }

    /// A status with a short text body naming it (empty for 304 and 204).
    public static func status(_ status: Int, headers: [(name: String, value: String)] = []) -> TestResponse {
        let body = (status == 304 || status == 204) ? [] : Array("\(status) \(reasonPhrase(status))\n".utf8)
        return TestResponse(status: status, headers: headers, body: body)
    }

    /// `Location` may be absolute or a path on this server.
    public static func redirect(to location: String, status: Int = 302) -> TestResponse {
        TestResponse(status: status, headers: [(name: "Location", value: location)], body: Array("moved\n".utf8))
    }

    public static func notModified(headers: [(name: String, value: String)] = []) -> TestResponse {
        TestResponse(status: 304, headers: headers)
    }

    /// Answers a conditional GET the way a well-behaved feed server does: `304` when the
    /// request's `If-None-Match` matches `etag` (or, with no ETag match possible,
    /// `If-Modified-Since` equals `lastModified`), otherwise `fresh`; both carry the validators.
    ///
    ///     TestHTTPServer { request in .conditional(request, etag: "\"v1\"", fresh: .text(rss)) }
    public static func conditional(
        _ request: TestRequest, etag: String? = nil, lastModified: String? = nil, fresh: TestResponse
    ) -> TestResponse {
        var validators: [(name: String, value: String)] = []
        if let etag { validators.append((name: "ETag", value: etag)) }
        if let lastModified { validators.append((name: "Last-Modified", value: lastModified)) }
        let notModified: Bool
        if let sent = request.header("If-None-Match") {
            // RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison, lists allowed.
            let tags = sent.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            func strip(_ tag: String) -> String { tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag }
            notModified = etag.map { ours in tags.contains { $0 == "*" || strip($0) == strip(ours) } } ?? false
        } else if let since = request.header("If-Modified-Since"), let lastModified {
            notModified = since == lastModified
        } else {
            notModified = false
        }
        if notModified { return .notModified(headers: validators) }
        var response = fresh
        response.headers += validators
        return response
    }

    /// `totalBytes` sent `chunkSize` at a time, one write every `every`: a slow server.
    public static func trickle(totalBytes: Int, chunkSize: Int = 1, every: Duration, declareLength: Bool = true) -> TestResponse {
        TestResponse(streaming: .stream(total: totalBytes, chunkSize: chunkSize, interval: every, declareLength: declareLength))
    }

    /// A chunked body that never ends, until the client hangs up or the server stops.
    public static func endless(chunkSize: Int = 16 * 1024, every: Duration = .milliseconds(1)) -> TestResponse {
        TestResponse(streaming: .stream(total: nil, chunkSize: chunkSize, interval: every, declareLength: false))
    }

    /// `bytes` bytes as fast as possible, with `Content-Length` or chunked.
    public static func large(bytes: Int, declareLength: Bool) -> TestResponse {
        TestResponse(streaming: .stream(total: bytes, chunkSize: 64 * 1024, interval: .zero, declareLength: declareLength))
    }

    public func withHeader(_ name: String, _ value: String) -> TestResponse {
        var copy = self
        copy.headers.append((name: name, value: value))
        return copy
    }

    public func gzipped() -> TestResponse {
        var copy = self
        copy.gzip = true
        return copy
    }

    public func delayed(by delay: Duration) -> TestResponse {
        var copy = self
        copy.delay = delay
        return copy
    }

    public func closingConnection() -> TestResponse {
        var copy = self
        copy.closeConnection = true
        return copy
    }
}

public struct TestHTTPServerError: Error, CustomStringConvertible {
    public var errno: Int32
    public var during: String
    public var description: String { "test HTTP server: \(during) failed: \(String(cString: strerror(errno)))" }
}

/// Gzip with the system zlib, so clients see exactly what real servers send.
public func gzipCompress(_ bytes: [UInt8]) -> [UInt8] {
    var output = [UInt8](repeating: 0, count: test_gzip_bound(bytes.count))
    let capacity = output.count
    let produced = bytes.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { out in
            test_gzip_compress(input.baseAddress, input.count, out.baseAddress, capacity)
        }
    }
    precondition(produced >= 0, "zlib failed to compress \(bytes.count) bytes")
    return Array(output[0..<produced])
}

private struct ServerState {
    var stopped = false
    var hits: [String: Int] = [:]
    var totalHits = 0
    var log: [TestRequest] = []
    var inFlight = 0
    var maxInFlight = 0
    var connectionsAccepted = 0
    var openConnections: Set<Int32> = []
    var maxOpenConnections = 0
}

/// Reads HTTP/1.1 requests off one connection, keeping bytes that arrive early.
private struct RequestReader {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next request, or nil when the peer closed, sent garbage or the head is too big.
    mutating func readRequest() -> TestRequest? {
        var searchFrom = 0
        var headEnd: Int?
        while headEnd == nil {
            if let end = findHeadEnd(from: searchFrom) {
                headEnd = end
                break
            }
            searchFrom = max(0, buffer.count - 3)
            guard buffer.count < 64 * 1024, fill() else { return nil }
        }
        guard let end = headEnd else { return nil }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = headText.components(separatedBy: "\r\n")
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((
                name: String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        let target = String(requestLine[1])
        var path = target
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        }
        var request = TestRequest(
            method: String(requestLine[0]), target: target, path: path, query: query, headers: headers, body: [],
            connectionID: 0, receivedAt: Date())
        if let length = request.header("Content-Length").flatMap({ Int($0) }), length > 0 {
            while buffer.count < length {
                guard fill() else { return nil }
            }
            request.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return request
    }

    private func findHeadEnd(from start: Int) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var i = start
        while i + 3 < buffer.count {
            if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer += chunk[0..<n]
                return true
            }
            if n < 0, errno == EINTR { continue }
            return false
        }
    }
}

private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { raw in
            send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        }
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += n
    }
    return true
}

private func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 204: "No Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 303: "See Other"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 308: "Permanent Redirect"
    case 400: "Bad Request"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 408: "Request Timeout"
    case 410: "Gone"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: "Status \(status)"
    }
}
