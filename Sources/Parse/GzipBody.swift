import CZlib

/// Feeds saved as `.xml.gz`, or served gzipped without a `Content-Encoding` header, reach
/// Parse still compressed: libcurl only decodes what the headers announce, and a file on
/// disk has no headers at all. Inflating here, under the same cap as a fetch, lets such
/// feeds read like any other while a gzip bomb stops at the cap.
enum GzipBody {
    enum Failure: Error, Equatable {
        /// The inflated body would exceed `cap` bytes.
        case tooLarge(cap: Int)
        /// The data is not a valid gzip stream (zlib's message, when it gave one).
        case corrupt(String)
    }

    /// gzip's magic number (RFC 1952): ID1 ID2 and the only compression method, deflate.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x1F && bytes[1] == 0x8B && bytes[2] == 0x08
    }

    /// Inflates every member of a gzip file (concatenated members are one file, as for
    /// `gunzip`); trailing zero padding after the last member is ignored.
    static func inflate(_ compressed: [UInt8], cap: Int) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(cap, max(compressed.count * 4, 1 << 16)))
        var failure: Failure?
        compressed.withUnsafeBufferPointer { input in
            var stream = z_stream()
            // windowBits 15 + 16: a gzip wrapper only (a zlib or raw stream is not a .gz file).
            guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                failure = .corrupt("zlib could not be initialised")
                return
            }
            defer { inflateEnd(&stream) }
            var offset = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            memberLoop: while offset < input.count {
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                stream.avail_in = UInt32(clamping: input.count - offset)
                while true {
                    let availableBefore = Int(stream.avail_in)
                    let (rc, produced) = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        let rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                        return (rc, out.count - Int(stream.avail_out))
                    }
                    offset += availableBefore - Int(stream.avail_in)
                    if output.count + produced > cap {
                        failure = .tooLarge(cap: cap)
                        return
                    }
                    output.append(contentsOf: chunk[0..<produced])
                    switch rc {
                    case Z_STREAM_END:
                        // Another member may follow; anything else after the end must be padding.
                        let rest = input[offset...]
                        if rest.allSatisfy({ $0 == 0 }) { break memberLoop }
                        guard rest.count >= 2, rest[offset] == 0x1F, rest[offset + 1] == 0x8B else {
                            break memberLoop
                        }
                        guard inflateReset(&stream) == Z_OK else {
                            failure = .corrupt("zlib could not start the next gzip member")
                            return
                        }
                        continue memberLoop
                    case Z_OK:
                        if stream.avail_in == 0 && offset >= input.count && produced < chunk.count {
                            failure = .corrupt("the gzip data ends early (truncated)")
                            return
                        }
                        if stream.avail_in == 0 && offset < input.count {
                            // More than 4 GiB of input: feed the next window.
                            continue memberLoop
                        }
                    case Z_BUF_ERROR:
                        if stream.avail_in == 0 {
                            failure = .corrupt("the gzip data ends early (truncated)")
                            return
                        }
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                        failure = .corrupt(message)
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
