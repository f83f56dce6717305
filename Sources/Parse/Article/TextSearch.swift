import Foundation

/// Substring tests on UTF-8 bytes. Foundation's `String.contains` goes through
/// CFStringFind with Unicode folding, which showed up as a fifth of extraction time.
enum TextSearch {
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                guard nb.count > 0 else { return true }
                guard hb.count >= nb.count else { return false }
                let first = nb[0], last = hb.count - nb.count
                var i = 0
                outer: while i <= last {
                    if hb[i] == first {
                        var j = 1
                        while j < nb.count {
                            if hb[i + j] != nb[j] { i += 1; continue outer }
                            j += 1
                        }
                        return true
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
