/// The readers' hot path: an output split into lines on bytes (not on
/// grapheme clusters) and ASCII markers found by byte comparison, which is
/// what lets Gyre read thousands of outputs faster than dpdata.
enum OutputText {
    /// The lines of `text`, empty ones kept, as Substrings sharing its storage.
    static func lines(_ text: String) -> [Substring] {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
    }
}

extension Substring {
    /// Whether the ASCII `marker` occurs in this line (byte comparison).
    func has(_ marker: StaticString) -> Bool {
        let m = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        guard let first = m.first else { return true }
        let found = utf8.withContiguousStorageIfAvailable { line -> Bool in
            guard line.count >= m.count else { return false }
            var i = 0
            let last = line.count - m.count
            while i <= last {
                if line[i] == first {
                    var k = 1
                    while k < m.count, line[i + k] == m[k] { k += 1 }
                    if k == m.count { return true }
                }
                i += 1
            }
            return false
        }
        return found ?? contains(String(decoding: m, as: UTF8.self))
    }

    /// Whether the line starts with the ASCII `marker` (byte comparison).
    func begins(_ marker: StaticString) -> Bool {
        let m = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        return utf8.starts(with: m)
    }
}
