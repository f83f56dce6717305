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
                } else if b < 0xE0 {
                    v = (UInt32(b & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F); i += 2
                } else if b < 0xF0 {
                    v = (UInt32(b & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F); i += 3
                } else {
                    v = (UInt32(b & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
                        | UInt32(p[i + 3] & 0x3F)
                    i += 4
                }
                if !body(v) { return false }
            }
            return true
        }
    }
}
