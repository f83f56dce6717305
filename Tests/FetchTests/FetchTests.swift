import Foundation
import IngestCore
import Synchronization
import Testing
import TestHTTPServer

@testable import Fetch

/// A fetcher tuned for tests: short waits between retries so retry tests stay quick.
private func makeFetcher(_ adjust: (inout FetchConfiguration) -> Void = { _ in }) throws -> Fetcher {
    var configuration = FetchConfiguration()
    configuration.retryBaseDelay = .milliseconds(20)
    configuration.maxRetryDelay = .seconds(5)
    adjust(&configuration)
    return try Fetcher(configuration: configuration)
}

private func request(_ location: String, etag: String? = nil, lastModified: String? = nil) -> FetchRequest {
    FetchRequest(source: FeedSource(location: location), etag: etag, lastModified: lastModified)
}

private extension Result where Failure == SourceFailure {
    var failure: SourceFailure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
    var document: Success? {
        if case .success(let document) = self { return document }
        return nil
    }
}

private let rss = """
    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0"><channel><title>测试 feed</title><item><title>开源模型</title></item></channel></rss>
    """

/// A hang guard, not a speed goal. Swift Testing counts the time a test spends queued for the
/// shared cooperative pool, and the CPU-bound suites hold both of its threads for a minute or more
/// on a two-core machine: with a one-minute guard, CI failed two fetch tests that were only
/// waiting their turn (the same tests report 63 s in a full run and about a second alone).
let fetchHangGuard = TimeLimitTrait.Duration.minutes(10)

@Suite("Fetch over HTTP", .timeLimit(fetchHangGuard))
struct HTTPFetchTests {
    @Test func okReturnsBodyStatusHeadersAndFinalURL() async throws {
        let server = try TestHTTPServer(routes: [
            "/feed.xml": TestResponse.text(rss, contentType: "application/rss+xml; charset=utf-8").withHeader("X-Feed", "yes"),
        ])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let url = server.url("/feed.xml")
        let document = try #require(await fetcher.fetch(request(url)).document)
        #expect(document.httpStatus == 200)
        #expect(document.body == Array(rss.utf8))
        #expect(document.requestedURL == url)
        #expect(document.finalURL == url)
        #expect(document.contentType == "application/rss+xml; charset=utf-8")
        #expect(document.headers["x-feed"] == "yes")
        #expect(document.source.location == url)
        #expect(!document.isNotModified)
        #expect(server.hits(path: "/feed.xml") == 1)
    }

    /// A body whose length the response declares is stored in one allocation of that size (and
    /// the spare byte for the parser's terminating 0), not grown by doubling: 20 transfers in
    /// flight otherwise hold up to twice their bodies' size.
    @Test func declaredLengthSizesTheBodyOnce() async throws {
        let big = Array(repeating: UInt8(ascii: "x"), count: 70_000)
        let server = try TestHTTPServer(routes: [
            "/big": TestResponse(status: 200, headers: [], body: big),
            "/moved": .redirect(to: "/big"),
        ])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        // Directly, and after a redirect (libcurl, following it, hands over only the final body).
        for path in ["/big", "/moved"] {
            let document = try #require(await fetcher.fetch(request(server.url(path))).document)
            #expect(document.headers["content-length"] == "70000")
            #expect(document.body == big)
            #expect(document.body.capacity > document.body.count)
            #expect(document.body.capacity < document.body.count + 4096, "\(path): capacity \(document.body.capacity)")
            #expect(document.body.withNULTerminatedBytes { $1 })
        }
    }

    @Test func userAgentNamesTheToolAndVersion() async throws {
        let server = try TestHTTPServer(routes: ["/": .text("ok")])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        _ = try #require(await fetcher.fetch(request(server.url("/"))).document)
        let agent = try #require(server.requests(path: "/").first?.header("User-Agent"))
        #expect(agent == IngestVersion.userAgent)
        #expect(agent.contains("ingest/\(IngestVersion.number)"))
    }

    @Test func conditionalGetRoundTripWithETagAndLastModified() async throws {
        let etag = "\"v1-abc\""
        let lastModified = "Sat, 07 Nov 2025 02:25:00 GMT"
        let server = try TestHTTPServer { request in
            let validatorHeaders = [(name: "ETag", value: etag), (name: "Last-Modified", value: lastModified)]
            if request.header("If-None-Match") == etag || request.header("If-Modified-Since") == lastModified {
                return .notModified(headers: validatorHeaders)
            }
            return TestResponse(status: 200, headers: validatorHeaders, body: Array(rss.utf8))
        }
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }
        let url = server.url("/feed")

        let first = try #require(await fetcher.fetch(request(url)).document)
        #expect(first.httpStatus == 200)
        #expect(first.etag == etag)
        #expect(first.lastModified == lastModified)

        // Both validators from the first answer go back on the second request.
        let second = try #require(
            await fetcher.fetch(request(url, etag: first.etag, lastModified: first.lastModified)).document)
        #expect(second.httpStatus == 304)
        #expect(second.isNotModified)
        #expect(second.body.isEmpty)
        #expect(second.etag == etag)
        let sent = server.requests(path: "/feed")
        #expect(sent.count == 2)
        #expect(sent[0].header("If-None-Match") == nil)
        #expect(sent[1].header("If-None-Match") == etag)
        #expect(sent[1].header("If-Modified-Since") == lastModified)

        // Last-Modified alone is enough for a 304 too.
        let third = try #require(await fetcher.fetch(request(url, lastModified: lastModified)).document)
        #expect(third.httpStatus == 304)
    }

    @Test func conditionalHelperOfTheTestServerRoundTrips() async throws {
        let server = try TestHTTPServer { request in
            .conditional(request, etag: "W/\"7\"", lastModified: "Fri, 07 Nov 2025 02:25:00 GMT", fresh: .text(rss))
        }
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }
        let url = server.url("/c")

        let first = try #require(await fetcher.fetch(request(url)).document)
        #expect(first.httpStatus == 200)
        #expect(first.etag == "W/\"7\"")
        let second = try #require(await fetcher.fetch(request(url, etag: first.etag)).document)
        #expect(second.httpStatus == 304)
        let stale = try #require(await fetcher.fetch(request(url, etag: "\"6\"", lastModified: first.lastModified)).document)
        #expect(stale.httpStatus == 200)
        #expect(stale.body == Array(rss.utf8))
    }

    @Test func notFoundFailsOnceWithoutRetry() async throws {
        let server = try TestHTTPServer(routes: [:])
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.retries = 3 }
        defer { fetcher.shutdown() }
        let url = server.url("/missing.xml")

        let failure = try #require(await fetcher.fetch(request(url)).failure)
        #expect(failure.kind == .httpStatus)
        #expect(failure.httpStatus == 404)
        #expect(failure.stage == .fetch)
        #expect(!failure.retryable)
        #expect(failure.source == url)
        #expect(failure.description.contains(url))
        #expect(failure.description.contains("404"))
        #expect(server.hits(path: "/missing.xml") == 1)
    }

    @Test func serverErrorIsRetriedThenReported() async throws {
        let server = try TestHTTPServer(routes: ["/broken": .status(500)])
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.retries = 2 }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/broken"))).failure)
        #expect(failure.kind == .httpStatus)
        #expect(failure.httpStatus == 500)
        #expect(failure.retryable)
        #expect(failure.reason.contains("3 attempts"))
        #expect(server.hits(path: "/broken") == 3)
        #expect(fetcher.statistics.retries == 2)
    }

    @Test func transientErrorRecoversOnRetry() async throws {
        let calls = Mutex(0)
        let server = try TestHTTPServer { _ in
            let n = calls.withLock { count -> Int in
                count += 1
                return count
            }
            return n == 1 ? .status(503) : .text(rss)
        }
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.retries = 2 }
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(server.url("/flaky"))).document)
        #expect(document.httpStatus == 200)
        #expect(server.hits(path: "/flaky") == 2)
    }

    @Test func tooManyRequestsReportsRetryAfterWithoutRetries() async throws {
        let server = try TestHTTPServer(routes: ["/busy": .status(429, headers: [(name: "Retry-After", value: "7")])])
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.retries = 0 }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/busy"))).failure)
        #expect(failure.kind == .httpStatus)
        #expect(failure.httpStatus == 429)
        #expect(failure.retryable)
        #expect(failure.retryAfterSeconds == 7)
        #expect(server.hits(path: "/busy") == 1)
    }

    @Test func tooManyRequestsWaitsForRetryAfterThenSucceeds() async throws {
        let calls = Mutex(0)
        let server = try TestHTTPServer { _ in
            let n = calls.withLock { count -> Int in
                count += 1
                return count
            }
            return n == 1 ? .status(429, headers: [(name: "Retry-After", value: "1")]) : .text(rss)
        }
        defer { server.stop() }
        // A base delay far below Retry-After: only the header can explain a ≥1 s gap.
        let fetcher = try makeFetcher {
            $0.retries = 1
            $0.retryBaseDelay = .milliseconds(1)
        }
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(server.url("/busy"))).document)
        #expect(document.httpStatus == 200)
        let arrivals = server.requests(path: "/busy").map(\.receivedAt)
        try #require(arrivals.count == 2)
        #expect(arrivals[1].timeIntervalSince(arrivals[0]) >= 0.95)
    }

    @Test func retryAfterBeyondTheCapWaitsOnlyTheCap() async throws {
        let calls = Mutex(0)
        let server = try TestHTTPServer { _ in
            let n = calls.withLock { count -> Int in
                count += 1
                return count
            }
            return n == 1 ? .status(503, headers: [(name: "Retry-After", value: "3600")]) : .text(rss)
        }
        defer { server.stop() }
        let fetcher = try makeFetcher {
            $0.retries = 1
            $0.maxRetryDelay = .milliseconds(100)
        }
        defer { fetcher.shutdown() }
        // Without the cap this would wait an hour and hit the suite's time limit.
        let document = try #require(await fetcher.fetch(request(server.url("/later"))).document)
        #expect(document.httpStatus == 200)
    }

    @Test func clientErrorsOtherThan408And429AreNeverRetried() async throws {
        let server = try TestHTTPServer { request in .status(Int(request.path.dropFirst()) ?? 400) }
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.retries = 2 }
        defer { fetcher.shutdown() }

        for status in [400, 401, 403, 410] {
            let failure = try #require(await fetcher.fetch(request(server.url("/\(status)"))).failure)
            #expect(failure.httpStatus == status)
            #expect(!failure.retryable)
            #expect(server.hits(path: "/\(status)") == 1)
        }
        let timeout = try #require(await fetcher.fetch(request(server.url("/408"))).failure)
        #expect(timeout.retryable)
        #expect(server.hits(path: "/408") == 3)
    }

    /// `/hop/N` redirects to `/hop/N-1`; `/hop/0` is the feed.
    private func redirectServer() throws -> TestHTTPServer {
        try TestHTTPServer { request in
            guard request.path.hasPrefix("/hop/"), let n = Int(request.path.dropFirst(5)) else { return .status(404) }
            if n == 0 { return .text(rss, contentType: "application/rss+xml") }
            return TestResponse.redirect(to: "/hop/\(n - 1)", status: n % 2 == 0 ? 301 : 302)
                .withHeader("X-Redirect-Hop", String(n))
        }
    }

    @Test func redirectChainWithinTheLimitIsFollowed() async throws {
        let server = try redirectServer()
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        for hops in [3, 5] {
            let start = server.url("/hop/\(hops)")
            let document = try #require(await fetcher.fetch(request(start)).document)
            #expect(document.httpStatus == 200)
            #expect(document.requestedURL == start)
            #expect(document.finalURL == server.url("/hop/0"))
            #expect(document.body == Array(rss.utf8))
            // Headers are the final response's only.
            #expect(document.headers["X-Redirect-Hop"] == nil)
            #expect(document.contentType == "application/rss+xml")
        }
    }

    @Test func redirectChainBeyondTheLimitIsRefused() async throws {
        let server = try redirectServer()
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/hop/6"))).failure)
        #expect(failure.kind == .refused)
        #expect(failure.reason.contains("more than 5 redirects"))
        #expect(!failure.retryable)
        #expect(server.hits(path: "/hop/0") == 0)
    }

    @Test(arguments: ["file:///etc/passwd", "gopher://127.0.0.1/1", "ftp://127.0.0.1/feed.xml"])
    func redirectToANonHTTPSchemeIsRefused(target: String) async throws {
        let server = try TestHTTPServer(routes: ["/evil": .redirect(to: target)])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let result = await fetcher.fetch(request(server.url("/evil")))
        let failure = try #require(result.failure)
        #expect(failure.kind == .refused)
        #expect(failure.reason.contains("only http and https"))
        #expect(failure.reason.contains(target))
        #expect(!failure.retryable)
        #expect(server.hits(path: "/evil") == 1)
    }

    @Test func gzipBodyIsDecoded() async throws {
        let text = String(repeating: rss + "\n", count: 200)
        let server = try TestHTTPServer(routes: ["/gz": TestResponse.text(text).gzipped()])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(server.url("/gz"))).document)
        #expect(document.body == Array(text.utf8))
        #expect(document.headers["Content-Encoding"] == "gzip")
        let sentLength = try #require(document.headers["Content-Length"].flatMap { Int($0) })
        #expect(sentLength < text.utf8.count / 10)
        let accepted = try #require(server.requests(path: "/gz").first?.header("Accept-Encoding"))
        #expect(accepted.contains("gzip"))
        #expect(accepted.contains("deflate"))
    }

    @Test func slowResponsePastTheTotalTimeoutFails() async throws {
        let server = try TestHTTPServer(routes: ["/hang": TestResponse.text(rss).delayed(by: .seconds(30))])
        defer { server.stop() }
        let fetcher = try makeFetcher {
            $0.totalTimeout = .seconds(1)
            $0.retries = 0
        }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/hang"))).failure)
        #expect(failure.kind == .timeout)
        #expect(failure.reason.contains("total timeout"))
        #expect(failure.retryable)
    }

    @Test func timeoutsAreRetried() async throws {
        let server = try TestHTTPServer(routes: ["/hang": TestResponse.text(rss).delayed(by: .seconds(30))])
        defer { server.stop() }
        // Each attempt must reach the server before it times out: 1 s leaves room for the
        // transfer and connection threads of a loaded machine (300 ms was tight).
        let fetcher = try makeFetcher {
            $0.totalTimeout = .seconds(1)
            $0.retries = 1
        }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/hang"))).failure)
        #expect(failure.kind == .timeout)
        #expect(fetcher.statistics.attempts == 2)
        // The server counts a request when its thread has read it, which may come after the
        // client gave up on it; wait for the count (hang guard only), then check it.
        let countedBy = ContinuousClock.now + .seconds(30)
        while server.hits(path: "/hang") < 2, ContinuousClock.now < countedBy { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.hits(path: "/hang") == 2)
    }

    @Test func tricklingResponseHitsTheLowSpeedLimit() async throws {
        // 10 bytes every 400 ms is far below 1,000 bytes/s; the total timeout is not the cause.
        let server = try TestHTTPServer(routes: [
            "/trickle": .trickle(totalBytes: 10_000, chunkSize: 10, every: .milliseconds(400)),
        ])
        defer { server.stop() }
        let fetcher = try makeFetcher {
            $0.lowSpeedBytesPerSecond = 1000
            $0.lowSpeedTime = .seconds(1)
            $0.totalTimeout = .seconds(50)
            $0.retries = 0
        }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/trickle"))).failure)
        #expect(failure.kind == .timeout)
        #expect(failure.reason.contains("low-speed"))
    }

    @Test(arguments: [true, false])
    func oversizedBodyIsCut(declareLength: Bool) async throws {
        let server = try TestHTTPServer(routes: ["/big": .large(bytes: 200_000, declareLength: declareLength)])
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.maxBytes = 100 * 1024 }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/big"))).failure)
        #expect(failure.kind == .tooLarge)
        #expect(failure.reason == "response larger than 100 KB cap")
        #expect(!failure.retryable)
        #expect(server.hits(path: "/big") == 1)
    }

    @Test func endlessBodyHitsTheDefault20MBCap() async throws {
        let server = try TestHTTPServer(routes: ["/endless": .endless()])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/endless"))).failure)
        #expect(failure.kind == .tooLarge)
        #expect(failure.reason == "response larger than 20 MB cap")
    }

    @Test func bodyExactlyAtTheCapIsAccepted() async throws {
        let server = try TestHTTPServer(routes: ["/exact": .large(bytes: 4096, declareLength: false)])
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.maxBytes = 4096 }
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(server.url("/exact"))).document)
        #expect(document.body.count == 4096)
    }

    @Test func gzipBombIsCountedDecoded() async throws {
        // 2 MB of zeros compress to a few KB: the cap must apply to what gets decoded.
        let server = try TestHTTPServer(routes: [
            "/bomb": TestResponse.bytes([UInt8](repeating: 0, count: 2 << 20)).gzipped(),
        ])
        defer { server.stop() }
        let fetcher = try makeFetcher { $0.maxBytes = 1 << 20 }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/bomb"))).failure)
        #expect(failure.kind == .tooLarge)
        #expect(failure.reason == "response larger than 1 MB cap")
    }

    @Test func connectionRefusedIsANetworkFailureAfterRetries() async throws {
        let server = try TestHTTPServer(routes: [:])
        let url = server.url("/gone")
        server.stop()
        let fetcher = try makeFetcher { $0.retries = 1 }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(url)).failure)
        #expect(failure.kind == .network)
        #expect(failure.retryable)
        #expect(failure.reason.contains("2 attempts"))
    }

    @Test func chinesePathsAndSpacesArePercentEncoded() async throws {
        let server = try TestHTTPServer { request in
            request.path == "/%E6%96%B0%E9%97%BB/feed%201.xml" ? .text(rss) : .status(404)
        }
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let location = server.url("/新闻/feed 1.xml") + "#top"
        let document = try #require(await fetcher.fetch(request(location)).document)
        #expect(document.body == Array(rss.utf8))
        #expect(document.source.location == location)
        #expect(document.finalURL == server.url("/%E6%96%B0%E9%97%BB/feed%201.xml"))
    }

    @Test func corruptGzipIsAMalformedFailure() async throws {
        let server = try TestHTTPServer(routes: [
            "/bad-gz": TestResponse.text("this is not gzip at all").withHeader("Content-Encoding", "gzip"),
        ])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(server.url("/bad-gz"))).failure)
        #expect(failure.kind == .malformed)
        #expect(failure.reason.contains("Content-Encoding"))
        #expect(server.hits(path: "/bad-gz") == 1)
    }

    @Test func cancellingAQueuedFetchNeverSendsIt() async throws {
        // /hang is held until the test lets it go, not for a fixed time: a starved test could
        // outlast any delay, and then /queued would be sent through the freed slot.
        let hang = ResponseGate()
        let server = try rssServer(holding: "/hang", until: hang)
        defer { server.stop() }
        defer { hang.open() }
        let fetcher = try makeFetcher { $0.maxConcurrent = 1 }
        defer { fetcher.shutdown() }

        let running = Task { await fetcher.fetch(request(server.url("/hang"))) }
        while server.hits(path: "/hang") == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let queued = Task { await fetcher.fetch(request(server.url("/queued"))) }
        try await Task.sleep(for: .milliseconds(100))
        queued.cancel()
        let failure = try #require(await queued.value.failure)
        #expect(failure.reason.contains("cancelled"))
        #expect(server.hits(path: "/queued") == 0)
        running.cancel()
        _ = await running.value
        // The freed slot works for the next fetch.
        let document = try #require(await fetcher.fetch(request(server.url("/queued"))).document)
        #expect(document.httpStatus == 200)
    }

    @Test func aQueuedFetchWhoseGateClosesIsDroppedUnsent() async throws {
        // /slow is held by the server until the test lets it go, not for a fixed time: under a
        // loaded CI machine a timed delay ran out before the gate closed and /gated was sent.
        let slow = ResponseGate()
        let server = try rssServer(holding: "/slow", until: slow)
        defer { server.stop() }
        defer { slow.open() }
        let fetcher = try makeFetcher { $0.maxConcurrent = 1 }
        defer { fetcher.shutdown() }
        let admitting = Mutex(true)
        let asked = Mutex(0)
        let gate: @Sendable () -> Bool = {
            asked.withLock { $0 += 1 }
            return admitting.withLock { $0 }
        }

        let running = Task { await fetcher.fetch(request(server.url("/slow"))) }
        try #require(await slow.untilWaiting(1), "/slow arrived and is held")
        // Both wait behind /slow, which cannot finish before the gate closes. /gated has passed
        // the check on entry (its gate was asked once, while open) before the gate closes, so it
        // is the check when its turn comes that must keep it unsent.
        let gated = Task { await fetcher.fetch(FetchRequest(source: FeedSource(location: server.url("/gated")), startsOnlyIf: gate)) }
        let ungated = Task { await fetcher.fetch(request(server.url("/open"))) }
        let askedBy = ContinuousClock.now + .seconds(120)    // hang guard only
        while asked.withLock({ $0 }) == 0, ContinuousClock.now < askedBy { try await Task.sleep(for: .milliseconds(5)) }
        try #require(asked.withLock { $0 } > 0, "/gated was admitted on entry while /slow was held")
        admitting.withLock { $0 = false }
        slow.open()
        #expect(try #require(await running.value.document).httpStatus == 200, "what had started finishes")
        let failure = try #require(await gated.value.failure)
        #expect(failure.kind == .notStarted)
        #expect(server.hits(path: "/gated") == 0)
        #expect(try #require(await ungated.value.document).httpStatus == 200)
        // A closed gate refuses at once, before any queue.
        let refused = try #require(await fetcher.fetch(FetchRequest(
            source: FeedSource(location: server.url("/open")), startsOnlyIf: gate)).failure)
        #expect(refused.kind == .notStarted)
        #expect(server.hits(path: "/open") == 1)
    }

    @Test func sequentialFetchesReuseOneConnection() async throws {
        let server = try TestHTTPServer(routes: ["/feed": .text(rss)])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        for _ in 0..<10 {
            _ = try #require(await fetcher.fetch(request(server.url("/feed"))).document)
        }
        #expect(server.totalHits == 10)
        #expect(server.connectionsAccepted == 1)
    }

    @Test func cancellingTheTaskEndsAHungFetch() async throws {
        // Held until the test ends, not for a fixed time a starved test could outlast.
        let hang = ResponseGate()
        let server = try rssServer(holding: "/hang", until: hang)
        defer { server.stop() }
        defer { hang.open() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let task = Task { await fetcher.fetch(request(server.url("/hang"))) }
        while server.hits(path: "/hang") == 0 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let failure = try #require(await task.value.failure)
        #expect(failure.kind == .other)
        #expect(failure.reason.contains("cancelled"))
    }

    @Test func shutdownFailsWaitingFetchesAndLaterOnes() async throws {
        // Held until the test ends, not for a fixed time a starved test could outlast.
        let hang = ResponseGate()
        let server = try rssServer(holding: "/hang", until: hang)
        defer { server.stop() }
        defer { hang.open() }
        let fetcher = try makeFetcher()

        let task = Task { await fetcher.fetch(request(server.url("/hang"))) }
        while server.hits(path: "/hang") == 0 { try await Task.sleep(for: .milliseconds(10)) }
        fetcher.shutdown()
        let failure = try #require(await task.value.failure)
        #expect(failure.reason.contains("shut down"))
        let later = try #require(await fetcher.fetch(request(server.url("/hang"))).failure)
        #expect(later.reason.contains("shut down"))
    }
}

/// A server answering every path with the test feed, holding requests for `held` until `gate`
/// opens (its hang guard aside): for tests that need a fetch in flight for as long as they say.
private func rssServer(holding held: String, until gate: ResponseGate) throws -> TestHTTPServer {
    try TestHTTPServer { request in
        if request.path == held { gate.wait() }
        return .text(rss)
    }
}

/// Holds each of the first `count` requests on the server until all `count` have arrived
/// (a 60 s hang guard ends the wait), so that a limit is reached whatever the timing: with only
/// a fixed response delay, requests started further apart than the delay never overlapped.
private final class Rendezvous: Sendable {
    let count: Int
    private let arrived = Mutex(0)

    init(count: Int) { self.count = count }

    /// Called by the handler, on the connection's own thread.
    func arrive() {
        let n = arrived.withLock { n -> Int in
            n += 1
            return n
        }
        guard n <= count else { return }
        let guardBy = ContinuousClock.now + .seconds(60)
        while arrived.withLock({ $0 }) < count, ContinuousClock.now < guardBy { usleep(1000) }
    }
}

@Suite("Fetch concurrency", .timeLimit(fetchHangGuard))
struct ConcurrencyTests {
    @Test func perHostLimitIsHonouredAndReached() async throws {
        // The first three are held until all three are in flight; every response is then
        // delayed 150 ms, time for a fetcher that ignores the limit to send a fourth.
        let rendezvous = Rendezvous(count: 3)
        let server = try TestHTTPServer { request in
            guard request.path == "/slow" else { return .status(404) }
            rendezvous.arrive()
            return TestResponse.text(rss).delayed(by: .milliseconds(150))
        }
        defer { server.stop() }
        let fetcher = try makeFetcher {
            $0.maxConcurrent = 16
            $0.maxPerHost = 3
        }
        defer { fetcher.shutdown() }

        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<15 {
                group.addTask { await fetcher.fetch(request(server.url("/slow?n=\(i)"))).document != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 })
        #expect(server.hits(path: "/slow") == 15)
        #expect(server.maxInFlight <= 3)
        #expect(server.maxInFlight == 3)
        // Kept-alive connections serve the queued requests.
        #expect(server.connectionsAccepted <= 3)
    }

    @Test func globalLimitIsHonouredAcrossHostsAndReached() async throws {
        let inFlight = Mutex((now: 0, max: 0))
        // The first five are held until all five are in flight (see Rendezvous).
        let rendezvous = Rendezvous(count: 5)
        // Per host, counted in the handler too: the server's own `maxInFlight` lasts until the
        // response is written, so a next request on a new connection can arrive just before the
        // last one's count drops (3 on a 2-per-host limit, once in about 25 runs).
        let perHost = Mutex([Int](repeating: 0, count: 4))
        let perHostMax = Mutex([Int](repeating: 0, count: 4))
        func handler(host: Int) -> TestHTTPServer.Handler {
            { _ in
                inFlight.withLock { state in
                    state.now += 1
                    state.max = max(state.max, state.now)
                }
                let now = perHost.withLock { $0[host] += 1; return $0[host] }
                perHostMax.withLock { $0[host] = max($0[host], now) }
                rendezvous.arrive()
                Thread.sleep(forTimeInterval: 0.15)
                perHost.withLock { $0[host] -= 1 }
                inFlight.withLock { $0.now -= 1 }
                return .text(rss)
            }
        }
        // Four servers on four ports are four hosts to the per-host accounting.
        let servers = try (0..<4).map { try TestHTTPServer(handler: handler(host: $0)) }
        defer { servers.forEach { $0.stop() } }
        let fetcher = try makeFetcher {
            $0.maxConcurrent = 5
            $0.maxPerHost = 2
        }
        defer { fetcher.shutdown() }

        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<40 {
                let server = servers[i % servers.count]
                group.addTask { await fetcher.fetch(request(server.url("/feed?n=\(i)"))).document != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 40)
        #expect(results.allSatisfy { $0 })
        let observed = inFlight.withLock { $0.max }
        // A retried request (it failed once under heavy load with 11 hits on one server)
        // leaves its first attempt running on the server: say so, or the counts mislead.
        let statistics = fetcher.statistics
        let why = "attempts \(statistics.attempts), retries \(statistics.retries), failed \(statistics.failed)"
        #expect(observed <= 5, Comment(rawValue: why))
        #expect(observed == 5, Comment(rawValue: why))
        #expect(perHostMax.withLock { $0 }.allSatisfy { $0 <= 2 }, Comment(rawValue: why))
        for server in servers {
            #expect(server.totalHits == 10, Comment(rawValue: why))
        }
    }

    @Test func manyRequestsComplete() async throws {
        let server = try TestHTTPServer { request in .text("feed \(request.query ?? "")") }
        defer { server.stop() }
        let fetcher = try makeFetcher {
            $0.maxConcurrent = 64
            $0.maxPerHost = 64
        }
        defer { fetcher.shutdown() }

        let bodies = await withTaskGroup(of: (Int, String?).self) { group in
            for i in 0..<500 {
                group.addTask {
                    let document = await fetcher.fetch(request(server.url("/f?\(i)"))).document
                    return (i, document.map { String(decoding: $0.body, as: UTF8.self) })
                }
            }
            return await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
        }
        #expect(bodies.count == 500)
        for (i, body) in bodies { #expect(body == "feed \(i)") }
        #expect(server.maxInFlight <= 64)
        #expect(fetcher.statistics.succeeded == 500)
    }
}

@Suite("Fetch from disk and refused locations")
struct LocalAndRefusedTests {
    private func temporaryFile(_ contents: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fetch-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("feed 1.xml").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func plainPathIsReadFromDisk() async throws {
        let path = try temporaryFile(Array(rss.utf8))
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(path)).document)
        #expect(document.body == Array(rss.utf8))
        #expect(document.httpStatus == nil)
        #expect(document.finalURL == URL(fileURLWithPath: path).absoluteString)
        #expect(document.finalURL.hasPrefix("file:///"))
        #expect(document.requestedURL == document.finalURL)
    }

    @Test func fileURLIsReadFromDisk() async throws {
        let path = try temporaryFile(Array(rss.utf8))
        let fileURL = URL(fileURLWithPath: path).absoluteString  // percent-encodes the space
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(fileURL)).document)
        #expect(document.body == Array(rss.utf8))
        #expect(document.httpStatus == nil)
        #expect(document.finalURL == fileURL)
    }

    /// A run over local files must not pay for libcurl: `curl_global_init` loads OpenSSL, and
    /// with the transfer thread that is about 2 MB of a 64 MB memory budget
    /// (`scripts/bench-memory.py`). The first HTTP fetch starts it; after `shutdown` none does.
    @Test func onlyAnHTTPFetchStartsLibcurl() async throws {
        let path = try temporaryFile(Array(rss.utf8))
        let fetcher = try makeFetcher()
        _ = try #require(await fetcher.fetch(request(path)).document)
        _ = try #require(await fetcher.fetch(request("/nonexistent-\(UUID().uuidString)")).failure)
        #expect(!fetcher.startedTransfers)

        let server = try TestHTTPServer(routes: ["/feed.xml": .text(rss)])
        defer { server.stop() }
        _ = try #require(await fetcher.fetch(request(server.url("/feed.xml"))).document)
        #expect(fetcher.startedTransfers)
        fetcher.shutdown()
        let late = try #require(await fetcher.fetch(request(server.url("/feed.xml"))).failure)
        #expect(late.reason.contains("shut down"))
        #expect(server.hits(path: "/feed.xml") == 1)

        // Started ahead of any fetch when asked.
        let eager = try makeFetcher()
        #expect(!eager.startedTransfers)
        try eager.startTransfers()
        #expect(eager.startedTransfers)
        eager.shutdown()
        #expect(!eager.startedTransfers)

        // Shut down before any HTTP fetch: later ones fail and nothing starts.
        let idle = try makeFetcher()
        idle.shutdown()
        let refused = try #require(await idle.fetch(request(server.url("/feed.xml"))).failure)
        #expect(refused.reason.contains("shut down"))
        #expect(!idle.startedTransfers)
        #expect(server.hits(path: "/feed.xml") == 1)
    }

    @Test func relativePathIsResolvedAgainstTheWorkingDirectory() async throws {
        let path = try temporaryFile(Array(rss.utf8))
        let cwd = FileManager.default.currentDirectoryPath
        let relative = String(repeating: "../", count: cwd.split(separator: "/").count) + path.dropFirst()
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let document = try #require(await fetcher.fetch(request(relative)).document)
        #expect(document.body == Array(rss.utf8))
        #expect(document.finalURL == URL(fileURLWithPath: path).absoluteString)
    }

    @Test func missingFileNamesThePath() async throws {
        let path = "/nonexistent-\(UUID().uuidString)/feed.xml"
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        for location in [path, "file://" + path] {
            let failure = try #require(await fetcher.fetch(request(location)).failure)
            #expect(failure.kind == .io)
            #expect(failure.reason.contains(path))
            #expect(failure.reason.contains("No such file"))
            #expect(failure.source == location)
        }
    }

    @Test func directoryIsAnIOFailure() async throws {
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }
        let failure = try #require(await fetcher.fetch(request(NSTemporaryDirectory())).failure)
        #expect(failure.kind == .io)
        #expect(failure.reason.contains("directory"))
    }

    @Test func oversizedFileIsCut() async throws {
        let path = try temporaryFile([UInt8](repeating: 0x20, count: 5000))
        let fetcher = try makeFetcher { $0.maxBytes = 4096 }
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(path)).failure)
        #expect(failure.kind == .tooLarge)
        #expect(failure.reason.contains("4 KB cap"))
        #expect(failure.reason.contains(path))
    }

    @Test(arguments: [
        "gopher://example.com/1", "ftp://example.com/feed.xml", "mailto:news@example.com",
        "javascript:alert(1)", "data:text/xml,<rss/>", "ldap://example.com/",
    ])
    func otherSchemesAreRefused(location: String) async throws {
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(location)).failure)
        #expect(failure.kind == .refused)
        #expect(failure.reason.contains("not supported"))
        #expect(failure.source == location)
        #expect(fetcher.statistics.attempts == 0)
    }

    @Test(arguments: ["", "http://", "file://remote.example.com/etc/passwd"])
    func malformedLocationsAreRefused(location: String) async throws {
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }

        let failure = try #require(await fetcher.fetch(request(location)).failure)
        #expect(failure.kind == .refused)
        #expect(!failure.reason.isEmpty)
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test func retryAfterSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_762_482_300)  // 2025-11-07T02:25:00Z
        #expect(RetryPolicy.parseRetryAfter("120", now: now) == 120)
        #expect(RetryPolicy.parseRetryAfter(" 0 ", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("Fri, 07 Nov 2025 02:26:30 GMT", now: now) == 90)
        #expect(RetryPolicy.parseRetryAfter("Friday, 07-Nov-25 02:26:30 GMT", now: now) == 90)
        #expect(RetryPolicy.parseRetryAfter("Fri Nov  7 02:26:30 2025", now: now) == 90)
        // A date in the past means "now".
        #expect(RetryPolicy.parseRetryAfter("Fri, 07 Nov 2025 02:00:00 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("", now: now) == nil)
    }

    @Test func backoffGrowsWithJitterAndStaysUnderTheCap() {
        var configuration = FetchConfiguration()
        configuration.retryBaseDelay = .milliseconds(100)
        configuration.maxRetryDelay = .seconds(1)
        for _ in 0..<50 {
            let first = RetryPolicy.delay(attempt: 0, retryAfterSeconds: nil, configuration: configuration)
            #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
            let third = RetryPolicy.delay(attempt: 2, retryAfterSeconds: nil, configuration: configuration)
            #expect(third >= .milliseconds(200) && third <= .milliseconds(400))
            let late = RetryPolicy.delay(attempt: 10, retryAfterSeconds: nil, configuration: configuration)
            #expect(late <= .seconds(1))
        }
        #expect(RetryPolicy.delay(attempt: 0, retryAfterSeconds: 3600, configuration: configuration) == .seconds(1))
        configuration.maxRetryDelay = .seconds(30)
        #expect(RetryPolicy.delay(attempt: 0, retryAfterSeconds: 5, configuration: configuration) == .seconds(5))
    }

    @Test func locationsAreClassified() {
        #expect(SourceLocation("https://Example.com/feed") == .http(url: "https://Example.com/feed", hostKey: "https://example.com:443"))
        #expect(SourceLocation("http://127.0.0.1:8080/a") == .http(url: "http://127.0.0.1:8080/a", hostKey: "http://127.0.0.1:8080"))
        #expect(SourceLocation("HTTP://example.com/") == .http(url: "HTTP://example.com/", hostKey: "http://example.com:80"))
        #expect(SourceLocation("file:///tmp/a%20b.xml") == .file(path: "/tmp/a b.xml", fileURL: "file:///tmp/a%20b.xml"))
        #expect(SourceLocation("file://localhost/tmp/a.xml") == .file(path: "/tmp/a.xml", fileURL: "file:///tmp/a.xml"))
        #expect(SourceLocation("/tmp/x/../a.xml") == .file(path: "/tmp/a.xml", fileURL: "file:///tmp/a.xml"))
        #expect(SourceLocation("file:///tmp/新闻 1.xml") == .file(path: "/tmp/新闻 1.xml", fileURL: URL(fileURLWithPath: "/tmp/新闻 1.xml").absoluteString))
        #expect(SourceLocation("/tmp/新闻 1.xml") == .file(path: "/tmp/新闻 1.xml", fileURL: "file:///tmp/%E6%96%B0%E9%97%BB%201.xml"))
        #expect(SourceLocation("http://[::1]:8080/a b") == .http(url: "http://[::1]:8080/a%20b", hostKey: "http://[::1]:8080"))
        #expect(SourceLocation("http://user:pw@Example.com:81/?q=中") == .http(url: "http://user:pw@Example.com:81/?q=%E4%B8%AD", hostKey: "http://example.com:81"))
        #expect(SourceLocation("http://example.com:http/") == .refused("malformed URL: http://example.com:http/"))
    }
}

@Suite("Fetch hints for schedulers")
struct FetchHintsTests {
    private func headers(_ fields: (String, String)...) -> HTTPHeaders {
        HTTPHeaders(fields.map { HTTPHeaders.Field(name: $0.0, value: $0.1) })
    }

    @Test func cacheControlMaxAge() {
        #expect(FetchHints.maxAgeSeconds(headers(("Cache-Control", "public, max-age=900"))) == 900)
        #expect(FetchHints.maxAgeSeconds(headers(("cache-control", "s-maxage=60, max-age=300"))) == 300)
        #expect(FetchHints.maxAgeSeconds(headers(("Cache-Control", "s-maxage=60"))) == 60)
        #expect(FetchHints.maxAgeSeconds(headers(("Cache-Control", "no-cache"))) == 0)
        #expect(FetchHints.maxAgeSeconds(headers(("Cache-Control", "max-age=soon"))) == nil)
        #expect(FetchHints.maxAgeSeconds(headers(("ETag", "\"x\""))) == nil)
    }

    @Test func retryAfterFromHeaders() {
        let now = Date(timeIntervalSince1970: 1_762_482_300)
        #expect(FetchHints.retryAfterSeconds(headers(("Retry-After", "30")), now: now) == 30)
        #expect(FetchHints.retryAfterSeconds(headers(("Retry-After", "Fri, 07 Nov 2025 02:30:00 GMT")), now: now) == 300)
        #expect(FetchHints.retryAfterSeconds(headers(), now: now) == nil)
    }

    @Test func backoffMatchesTheFetcher() {
        let delay = FetchHints.backoff(attempt: 3, base: .seconds(60), maximum: .seconds(3600))
        #expect(delay >= .seconds(240) && delay <= .seconds(480))
        #expect(FetchHints.backoff(attempt: 20, base: .seconds(60), maximum: .seconds(3600)) <= .seconds(3600))
        #expect(FetchHints.backoff(attempt: 0, base: .seconds(1), maximum: .seconds(3600), retryAfterSeconds: 120) == .seconds(120))
    }
}

/// The shared test server's own behaviour that other suites rely on.
@Suite("TestHTTPServer", .timeLimit(fetchHangGuard))
struct TestHTTPServerTests {
    /// Sends raw bytes on one connection and reads until `responses` complete answers arrived
    /// (each recognised by its `\r\n\r\n` head end plus `Content-Length` body).
    /// `responses: nil` reads until the server closes.
    private func exchange(port: Int, _ text: String, responses: Int?) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        // A wrong expectation must fail the test, not hang it.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 1 << 20 {
            let reply = String(decoding: received, as: UTF8.self)
            if let responses, reply.components(separatedBy: "HTTP/1.1 ").count - 1 >= responses,
                completeBodies(reply, responses)
            {
                break
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    private func completeBodies(_ reply: String, _ responses: Int) -> Bool {
        var rest = Substring(reply)
        for _ in 0..<responses {
            guard let headEnd = rest.range(of: "\r\n\r\n") else { return false }
            let head = rest[..<headEnd.lowerBound].lowercased()
            var length = 0
            if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            let body = rest[headEnd.upperBound...]
            guard body.utf8.count >= length else { return false }
            rest = body.dropFirst(length)
        }
        return true
    }

    @Test func pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws {
        let server = try TestHTTPServer { request in .text("path=\(request.path) q=\(request.queryItems["q"] ?? "-")") }
        defer { server.stop() }
        let reply = try exchange(
            port: server.port,
            "GET /a?q=%E4%B8%AD+x HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n", responses: 2)
        let first = try #require(reply.range(of: "path=/a q=中 x"))
        let second = try #require(reply.range(of: "path=/b q=-"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(server.connectionsAccepted == 1)
        #expect(server.totalHits == 2)
    }

    @Test func postBodyAndHeadAreHandled() throws {
        let server = try TestHTTPServer { request in
            .text("\(request.method) \(String(decoding: request.body, as: UTF8.self))")
        }
        defer { server.stop() }
        let post = try exchange(port: server.port, "POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", responses: 1)
        #expect(post.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(post.hasSuffix("\r\n\r\nPOST hello"))
        let head = try exchange(port: server.port, "HEAD /p HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", responses: nil)
        #expect(head.contains("Content-Length: 5"))
        #expect(head.hasSuffix("\r\n\r\n"))
    }

    @Test func closingConnectionForcesANewConnectionPerRequest() async throws {
        let server = try TestHTTPServer(routes: ["/once": TestResponse.text(rss).closingConnection()])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }
        for _ in 0..<3 {
            _ = try #require(await fetcher.fetch(request(server.url("/once"))).document)
        }
        #expect(server.connectionsAccepted == 3)
    }

    @Test func resetStatisticsStartsCountingAfresh() async throws {
        let server = try TestHTTPServer(routes: ["/x": .text("x")])
        defer { server.stop() }
        let fetcher = try makeFetcher()
        defer { fetcher.shutdown() }
        _ = await fetcher.fetch(request(server.url("/x")))
        #expect(server.hits(path: "/x") == 1)
        server.resetStatistics()
        #expect(server.hits(path: "/x") == 0)
        #expect(server.totalHits == 0)
        _ = await fetcher.fetch(request(server.url("/x")))
        #expect(server.hits(path: "/x") == 1)
        #expect(server.allRequests.count == 1)
    }
}
