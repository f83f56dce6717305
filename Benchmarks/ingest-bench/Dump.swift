import Foundation
import IngestCore
import Parse

/// `ingest-bench dump DIR|LIST`: every field the Parse stage produces for each file (a
/// directory walked recursively, or a file listing one path per line), in a stable text
/// form. Two builds' dumps compared with `cmp` show that an optimisation changed nothing.
func runParseDump(_ target: URL) {
    var paths: [String] = []
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir), isDir.boolValue {
        let e = FileManager.default.enumerator(at: target, includingPropertiesForKeys: [.isRegularFileKey])
        while let u = e?.nextObject() as? URL {
            if (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { paths.append(u.path) }
        }
    } else if let text = try? String(contentsOf: target, encoding: .utf8) {
        paths = text.split(separator: "\n").map { String($0) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
    paths.sort()
    let parser = FeedParser()
    var out = ""
    for path in paths {
        guard let data = FileManager.default.contents(atPath: path) else { continue }
        let url = URL(fileURLWithPath: path).absoluteString
        let doc = FetchedDocument(
            source: FeedSource(location: url), requestedURL: url, finalURL: url, httpStatus: nil,
            body: [UInt8](data), fetchedAt: Date(timeIntervalSince1970: 1_764_000_000))
        out += "=== \(path)\n"
        do {
            let parsed = try parser.parse(doc)
            dump(parsed, to: &out)
        } catch {
            out += "error: \(error.kind.rawValue) \(error.reason)\n"
        }
        if out.utf8.count > 1 << 20 {
            FileHandle.standardOutput.write(Data(out.utf8))
            out = ""
        }
    }
    FileHandle.standardOutput.write(Data(out.utf8))
}
