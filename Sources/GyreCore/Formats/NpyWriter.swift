import Foundation

/// Writes `<f8` arrays whose rows a closure puts straight into the file's bytes
/// (C order): the column-wise writer of deepmd/npy sets. Rows are gathered a
/// chunk at a time into one small buffer and written with one write(2) per
/// chunk: the chunk stays in cache, so the kernel's copy into the page cache
/// does not read it back from main memory, and memory use does not grow with
/// the array. One writer reuses its buffer for every array.
final class NpyWriter {
    /// Bytes of rows per write(2). Writing 100k frames × 64 atoms measured 0.17 s
    /// CPU with 1 MB, 0.19 s with 256 KB, 0.23 s with 64 KB (system calls) and
    /// 0.19–0.5 s with one whole-set buffer (7.7 MB, out of cache).
    static let chunkBytes = 1 << 20

    private var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    deinit { buffer.deallocate() }

    /// `fill(rows, out)` must set every element of `out`, which holds `rows` in
    /// C order: the buffer is not cleared between chunks.
    func write(shape: [Int], to url: URL, fill: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void) throws {
        let header = NpyArray.header(shape: shape)
        let rows = shape.first ?? 1  // a 0-d array is one row of one number
        let perRow = shape.dropFirst().reduce(1, *)
        let chunkRows = max(1, Self.chunkBytes / max(1, 8 * perRow))
        let size = header.count + 8 * perRow * min(rows, chunkRows)
        if buffer.count < size {
            buffer.deallocate()
            buffer = .allocate(byteCount: size, alignment: 64)
        }
        buffer.copyBytes(from: header)
        let file = try FileWriter(url: url, bufferSize: 0)
        // The first chunk goes out with the header; the header ends on a multiple of
        // 64 bytes, so the Doubles after it are aligned either way.
        var offset = header.count
        var start = 0
        repeat {
            let chunk = start..<min(rows, start + chunkRows)
            let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(offset + 8 * perRow * chunk.count)])
            fill(chunk, UnsafeMutableRawBufferPointer(rebasing: bytes[offset...]).bindMemory(to: Double.self))
            try file.write(bytes: UnsafeRawBufferPointer(bytes))
            offset = 0
            start = chunk.upperBound
        } while start < rows
        try file.close()
    }
}
