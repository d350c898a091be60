import Foundation

/// A NumPy `.npy` array held as Doubles: its shape and its elements in C order.
/// Reads format versions 1.0, 2.0 and 3.0 with dtypes `<f8`, `<f4`, `<i8`,
/// `<i4`; writes version 1.0 `<f8`, the form deepmd/npy uses.
public struct NpyArray: Equatable, Sendable {
    public var shape: [Int]
    public var data: [Double]

    /// An array of this shape; `data.count` must equal the product of `shape`.
    public init(shape: [Int], data: [Double]) {
        self.shape = shape
        self.data = data
    }

    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Reads and checks a `.npy` file.
    public static func read(_ url: URL) throws -> NpyArray {
        let bytes: Data
        do {
            // Read, not mapped: a mapped file truncated by another process would crash us.
            bytes = try Data(contentsOf: url)
        } catch {
            throw GyreError(.io, "cannot read", at: SourceLocation(file: url.path), cause: error)
        }
        return try parse(bytes, file: url.path)
    }

    /// Parses `.npy` bytes; `file` names them in errors.
    public static func parse(_ bytes: Data, file: String) throws -> NpyArray {
        try bytes.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), file: file)
        }
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>, file: String) throws -> NpyArray {
        func fail(_ message: String, at offset: Int) -> GyreError {
            GyreError(.malformedFile, message, at: SourceLocation(file: file, byteOffset: offset))
        }
        guard b.count >= 10, Array(b[0..<6]) == magic else {
            throw fail("not a .npy file: missing the \\x93NUMPY magic", at: 0)
        }
        let major = b[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(b[8]) | Int(b[9]) << 8
            headerStart = 10
        case 2, 3:
            guard b.count >= 12 else { throw fail("truncated .npy preamble", at: b.count) }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported .npy format version \(major).\(b[7])", at: 6)
        }
        guard headerStart + headerLength <= b.count else {
            throw fail("header claims \(headerLength) bytes but the file has \(b.count - headerStart) after the preamble", at: 8)
        }
        let headerBytes = b[headerStart..<(headerStart + headerLength)]
        // Version 1 and 2 headers are latin-1 (ASCII in practice), version 3 UTF-8.
        guard let header = String(validating: headerBytes, as: UTF8.self) else {
            throw fail("header is not valid text", at: headerStart)
        }
        let dict: NpyHeader
        do {
            dict = try NpyHeader(parsing: header)
        } catch let e as NpyHeader.ParseError {
            throw fail("header \(header.trimmingCharacters(in: .whitespacesAndNewlines)): \(e.message)", at: headerStart)
        }
        guard !dict.fortranOrder else {
            throw fail("fortran_order True arrays are not supported: save with np.ascontiguousarray", at: headerStart)
        }
        let itemSize: Int
        let kind: Character
        switch dict.descr {
        case "<f8", "=f8": (kind, itemSize) = ("f", 8)
        case "<f4", "=f4": (kind, itemSize) = ("f", 4)
        case "<i8", "=i8": (kind, itemSize) = ("i", 8)
        case "<i4", "=i4": (kind, itemSize) = ("i", 4)
        default:
            if dict.descr.hasPrefix(">") {
                throw fail("big-endian dtype \(dict.descr) is not supported: convert with arr.astype('<f8')", at: headerStart)
            }
            throw fail("unsupported dtype \(dict.descr): expected <f8, <f4, <i8 or <i4", at: headerStart)
        }
        let dataStart = headerStart + headerLength
        var count = 1
        for d in dict.shape {
            let (m, overflow) = count.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow else { throw fail("shape \(dict.shape) is too large", at: headerStart) }
            count = m
        }
        let available = b.count - dataStart
        let (needed, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow, needed == available else {
            throw fail("shape \(dict.shape) of \(dict.descr) needs \(overflow ? "more than Int.max" : "\(needed)") data bytes, the file has \(available)",
                       at: dataStart)
        }
        let p = UnsafeRawPointer(b.baseAddress.map { $0 + dataStart })
        // Every element is set below (a count of 0 leaves nothing to set).
        let data = [Double](unsafeUninitializedCapacity: count) { out, initialized in
            initialized = count
            guard let p, let d = out.baseAddress else { return }
            switch (kind, itemSize) {
            case ("f", 8):
                #if _endian(little)
                // The file's bytes are the Doubles as they are: one copy, no per-element work.
                UnsafeMutableRawPointer(d).copyMemory(from: p, byteCount: count * 8)
                #else
                for i in 0..<count { d[i] = Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
                #endif
            case ("f", 4):
                for i in 0..<count { d[i] = Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
            case ("i", 8):
                for i in 0..<count { d[i] = Double(Int64(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
            default:
                for i in 0..<count { d[i] = Double(Int32(littleEndian: p.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
            }
        }
        return NpyArray(shape: dict.shape, data: data)
    }

    /// The array as `.npy` version 1.0, `<f8`, C order.
    public func encoded() -> Data {
        var out = Data(Self.header(shape: shape))
        // Little-endian hosts (x86-64, arm64) can copy the Doubles as they are.
        data.withUnsafeBytes { out.append($0.bindMemory(to: UInt8.self)) }
        return out
    }

    /// Writes the array as ``encoded()``.
    public func write(to url: URL) throws {
        let perRow = shape.dropFirst().reduce(1, *)
        try NpyWriter().write(shape: shape, to: url) { rows, out in
            let end = out.update(fromContentsOf: data.dropFirst(rows.lowerBound * perRow).prefix(out.count))
            out[end...].update(repeating: 0)  // data shorter than its shape: zeros, so the file matches its header
        }
    }

    /// Magic, version 1.0, header length and the header dict, padded with
    /// spaces and a final newline so that the data starts at a multiple of 64 bytes.
    static func header(shape: [Int]) -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        return magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)] + Array(header.utf8)
    }
}

/// The Python dict literal of a `.npy` header: `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 9), }`.
struct NpyHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    struct ParseError: Error { var message: String }

    init(parsing text: String) throws {
        var s = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        func skip() { s = s.drop { $0 == " " || $0 == "\t" || $0 == "\n" } }
        func expect(_ c: Character) throws {
            skip()
            guard s.first == c else { throw ParseError(message: "expected '\(c)'") }
            s.removeFirst()
        }
        func string() throws -> String {
            skip()
            guard let q = s.first, q == "'" || q == "\"" else { throw ParseError(message: "expected a quoted string") }
            s.removeFirst()
            guard let end = s.firstIndex(of: q) else { throw ParseError(message: "unterminated string") }
            let v = String(s[..<end])
            s = s[s.index(after: end)...]
            return v
        }
        try expect("{")
        var seen = Set<String>()
        while true {
            skip()
            if s.first == "}" { s.removeFirst(); break }
            let key = try string()
            try expect(":")
            skip()
            switch key {
            case "descr":
                descr = try string()
            case "fortran_order":
                if s.hasPrefix("True") { fortranOrder = true; s = s.dropFirst(4) } else if s.hasPrefix("False") {
                    fortranOrder = false; s = s.dropFirst(5)
                } else { throw ParseError(message: "fortran_order must be True or False") }
            case "shape":
                try expect("(")
                var dims: [Int] = []
                while true {
                    skip()
                    if s.first == ")" { s.removeFirst(); break }
                    let digits = s.prefix { $0.isASCII && $0.isNumber }
                    guard !digits.isEmpty, let d = Int(digits) else { throw ParseError(message: "shape must be a tuple of non-negative integers") }
                    dims.append(d)
                    s = s.dropFirst(digits.count)
                    if s.first == "L" { s.removeFirst() }  // Python 2 long suffix
                    skip()
                    if s.first == "," { s.removeFirst() } else if s.first != ")" {
                        throw ParseError(message: "shape must be a tuple of non-negative integers")
                    }
                }
                shape = dims
            default:
                throw ParseError(message: "unexpected key '\(key)'")
            }
            seen.insert(key)
            skip()
            if s.first == "," { s.removeFirst() } else if s.first != "}" { throw ParseError(message: "expected ',' or '}'") }
        }
        guard seen == ["descr", "fortran_order", "shape"] else {
            throw ParseError(message: "needs the keys descr, fortran_order and shape")
        }
    }
}
