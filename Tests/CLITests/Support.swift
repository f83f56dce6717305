import Foundation
import Testing

/// The checkout these tests belong to.
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let corpusRoot = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
let corpusExists = FileManager.default.fileExists(atPath: corpusRoot.path)

/// The `ingest` binary `swift build` put beside the test bundle (or `INGEST_BIN`).
let ingestBinary: URL = {
    if let env = ProcessInfo.processInfo.environment["INGEST_BIN"], !env.isEmpty {
        return URL(fileURLWithPath: env)
    }
    var candidates: [URL] = []
    let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    candidates.append(bundleDir.appendingPathComponent("ingest"))
    candidates.append(bundleDir.deletingLastPathComponent().appendingPathComponent("ingest"))
    candidates.append(packageRoot.appendingPathComponent(".build/debug/ingest"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
}()

struct ProcessResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var lines: [String] { stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

/// Runs the real binary as a user would, with the checkout as working directory.
///
/// The wait happens on a thread of its own: a test blocked in `waitUntilExit` holds one of the
/// cooperative pool's threads (two on a two-core machine), and the corpus evaluations wait minutes
/// for their children. Holding the pool that long starved every other test; CI saw the fetch
/// suites' one-minute hang guards trip while their requests sat queued behind these waits.
func runIngest(_ arguments: [String], cwd: URL = packageRoot, environment: [String: String] = [:]) async throws
    -> ProcessResult
{
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result { try runIngestBlocking(arguments, cwd: cwd, environment: environment) })
        }.start()
    }
}

/// Runs the real binary and waits on the calling thread.
///
/// For the tests that watch a child mid-run and must act at the right moment (kill a worker,
/// stop its database, send SIGTERM during a fetch). They stay synchronous and poll with
/// `Thread.sleep`: an awaiting task resumes only when the cooperative pool has a free thread, and
/// in a full run the CPU-bound suites delayed such resumptions until the child had finished.
func runIngestBlocking(_ arguments: [String], cwd: URL = packageRoot, environment: [String: String] = [:]) throws
    -> ProcessResult
{
    let p = Process()
    p.executableURL = ingestBinary
    p.arguments = arguments
    p.currentDirectoryURL = cwd
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let errThread = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errThread.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while errThread.isExecuting || !errThread.isFinished { Thread.sleep(forTimeInterval: 0.005) }
    return ProcessResult(status: p.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
}

/// Polls until `done` holds, and gives up only when `progress` has not changed for `stall` seconds.
///
/// Multi-process runs are given no wall-clock budget: on CI's two cores, beside other suites'
/// children, a run that is still recording feeds took longer than any fixed budget that also
/// catches a hang soon. A hang looks like a stall, so that is what fails the wait. Returns
/// whether `done` held.
@discardableResult
func waitWhileProgressing(
    stall: TimeInterval = 180, every interval: TimeInterval, done: () throws -> Bool, progress: () throws -> [Int]
) rethrows -> Bool {
    var seen = try progress()
    var movedAt = Date()
    while true {
        if try done() { return true }
        Thread.sleep(forTimeInterval: interval)
        let now = try progress()
        if now != seen {
            seen = now
            movedAt = Date()
        } else if Date().timeIntervalSince(movedAt) > stall {
            return try done()
        }
    }
}

/// Every key ../shared/CONTRACT.md promises on an item record.
let itemContractKeys = [
    "schema", "id", "url", "guid", "title", "title_raw", "summary", "content", "lang", "published_at", "updated_at",
    "published_local", "authors", "categories", "source", "feed", "topics", "topic_evidence", "fetched_at",
]
let feedContractKeys = [
    "schema", "url", "final_url", "title", "link", "language", "description", "format", "encoding", "http_status",
    "items", "warnings", "error",
]

nonisolated(unsafe) let rfc3339UTC = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/#
nonisolated(unsafe) let rfc3339Offset = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/#

/// Parses JSON Lines strictly: every line one JSON object, `\n` after each, no blank lines.
func parseJSONLines(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    #expect(data.isEmpty || data.last == UInt8(ascii: "\n"), "output must end with a newline", sourceLocation: sourceLocation)
    #expect(!data.starts(with: [0xEF, 0xBB, 0xBF]), "no BOM", sourceLocation: sourceLocation)
    var records: [[String: Any]] = []
    for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
        let obj = try JSONSerialization.jsonObject(with: Data(line))
        guard let dict = obj as? [String: Any] else {
            Issue.record("line is not a JSON object: \(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
            continue
        }
        records.append(dict)
    }
    return records
}

/// Checks one item record against the contract's keys and types.
func checkItemContract(_ r: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) {
    for key in itemContractKeys {
        #expect(r.keys.contains(key), "missing key \(key)", sourceLocation: sourceLocation)
    }
    #expect(r["schema"] as? String == "ingest.item/1", sourceLocation: sourceLocation)
    #expect((r["id"] as? String).map { !$0.isEmpty } == true, sourceLocation: sourceLocation)
    #expect(r["title"] is String, sourceLocation: sourceLocation)
    #expect(r["title_raw"] is String, sourceLocation: sourceLocation)
    #expect(r["authors"] is [String], sourceLocation: sourceLocation)
    #expect(r["categories"] is [String], sourceLocation: sourceLocation)
    #expect(r["topics"] is [String], sourceLocation: sourceLocation)
    #expect(r["topic_evidence"] is [String: Any], sourceLocation: sourceLocation)
    for key in ["published_at", "updated_at", "fetched_at"] {
        if let s = r[key] as? String {
            #expect(s.wholeMatch(of: rfc3339UTC) != nil, "\(key) not RFC 3339 Z: \(s)", sourceLocation: sourceLocation)
        } else {
            #expect(r[key] is NSNull && key != "fetched_at", "\(key) must be a string or null", sourceLocation: sourceLocation)
        }
    }
    if let s = r["published_local"] as? String {
        #expect(s.wholeMatch(of: rfc3339Offset) != nil, "published_local: \(s)", sourceLocation: sourceLocation)
    }
    let source = r["source"] as? [String: Any]
    #expect(source != nil, sourceLocation: sourceLocation)
    for k in ["name", "name_en", "id"] { #expect(source?.keys.contains(k) == true, "source.\(k)", sourceLocation: sourceLocation) }
    let feed = r["feed"] as? [String: Any]
    #expect(feed != nil, sourceLocation: sourceLocation)
    for k in ["url", "title", "link", "language"] { #expect(feed?.keys.contains(k) == true, "feed.\(k)", sourceLocation: sourceLocation) }
}
