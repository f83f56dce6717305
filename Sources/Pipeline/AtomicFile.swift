import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small files that readers must see whole or not at all (run summaries, exports):
/// written beside the target under a dot name, fsynced, then renamed over it.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { emit in try emit(data) }
    }

    /// The file's bytes come from `body` in pieces, so a large file (a run summary of tens of
    /// thousands of feeds) is never whole in memory; readers still see it whole or not at all.
    /// An error thrown by `body` leaves no file behind and is rethrown.
    public static func write(to url: URL, _ body: (_ emit: (Data) throws -> Void) throws -> Void) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw posixError("cannot create \(temp.path)") }
        do {
            try body { data in
                let ok = data.withUnsafeBytes { raw -> Bool in
                    var offset = 0
                    while offset < raw.count {
                        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            return false
                        }
                        offset += n
                    }
                    return true
                }
                if !ok { throw posixError("cannot write \(url.path)") }
            }
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
        let ok = fsync(fd) == 0
        close(fd)
        guard ok, rename(temp.path, url.path) == 0 else {
            let e = posixError("cannot write \(url.path)")
            unlink(temp.path)
            throw e
        }
        let dfd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    static func posixError(_ what: String) -> NSError {
        let code = errno
        return NSError(domain: NSPOSIXErrorDomain, code: Int(code),
                       userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(code)))"])
    }
}
