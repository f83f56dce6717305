/// The scalars of a native string read straight from its UTF-8, without `Character` or
/// `UnicodeScalarView` machinery: the hot loops of language counting and headline
/// cleaning run over every item. Inlinable so that callers in other modules get the
/// loop specialised around their closure.
public enum UTF8Scalars {
    /// Calls `body` with each scalar of `text` until it returns false; true when every
    /// scalar was taken.
    @inlinable @inline(__always)
    public static func forEach(_ text: String, _ body: (UInt32) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { buf in
            guard let p = buf.baseAddress else { return true }
            let n = buf.count
            var i = 0
            while i < n {
                let b = p[i]
                let v: UInt32
                if b < 0x80 {
                    v = UInt32(b); i += 1
                } else {
                    let (scalar, length) = decodeMultibyte(p, i)
                    v = scalar; i += length
                }
                if !body(v) { return false }
            }
            return true
        }
    }

    /// The scalar whose lead byte (0x80 or above) is at `p[i]`, and its length in bytes. The
    /// bytes must be valid UTF-8, as a native `String`'s are.
    @inlinable @inline(__always)
    public static func decodeMultibyte(_ p: UnsafePointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b = p[i]
        if b < 0xE0 { return ((UInt32(b & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F), 2) }
        if b < 0xF0 {
            return ((UInt32(b & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F), 3)
        }
        return ((UInt32(b & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
            | UInt32(p[i + 3] & 0x3F), 4)
    }
}
