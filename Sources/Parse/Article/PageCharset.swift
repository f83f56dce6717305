/// Chooses the charset libxml2 reads a page in. Valid UTF-8 is read as UTF-8 whatever
/// the page declares (several Chinese pages declare gb2312 but are UTF-8); otherwise
/// the HTTP charset, then `<meta charset>`, with GB2312/GBK widened to GB18030.
enum PageCharset {
    static func choose(bytes: [UInt8], contentType: String?) -> String {
        if hasUTF8BOM(bytes) || isValidUTF8(bytes) { return "UTF-8" }
        if let http = contentType.flatMap(charsetParameter), let name = libxmlName(http) { return name }
        if let declared = declaredInMeta(bytes), let name = libxmlName(declared) { return name }
        // Undeclared legacy bytes: Chinese pages are by far the most common case here.
        return "GB18030"
    }

    static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                let value = kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    static func libxmlName(_ label: String) -> String? {
        let l = label.lowercased().trimmingCharacters(in: .whitespaces)
        switch l {
        case "gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "x-euc-cn", "euc-cn", "csgb2312", "gb_2312":
            return "GB18030"
        case "big5", "big-5", "x-big5", "cn-big5", "csbig5", "cp950", "big5-hkscs":
            return "BIG5-HKSCS"
        case "utf-8", "utf8":
            return nil  // the bytes were not valid UTF-8: the declaration is wrong
        case "": return nil
        default: return l
        }
    }

    static func hasUTF8BOM(_ b: [UInt8]) -> Bool { b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// `<meta charset=…>` or `http-equiv` content in the first 4 KB.
    static func declaredInMeta(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        var name = ""
        for ch in head[range.upperBound...] {
            if ch == "\"" || ch == "'" { if name.isEmpty { continue } else { break } }
            if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { name.append(ch) } else { break }
        }
        return name.isEmpty ? nil : name
    }
}

import Foundation
