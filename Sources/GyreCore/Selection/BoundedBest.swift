/// Keeps the `capacity` smallest elements seen (a max-heap), so that a ranking
/// over millions of frames needs memory only for what can be picked.
struct BoundedBest<Element: Comparable & Sendable>: Sendable {
    let capacity: Int
    private(set) var heap: [Element] = []
    /// Elements offered in total.
    private(set) var offered = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { heap.count }

    /// The largest element kept, which a newcomer must beat once full.
    var worst: Element? { heap.first }

    @inline(__always)
    mutating func offer(_ e: Element) {
        offered += 1
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(e)
            siftUp(heap.count - 1)
        } else if let top = heap.first, e < top {
            heap[0] = e
            siftDown(0)
        }
    }

    /// Offers everything another bounded set kept (the best of a union is
    /// within the union of the bests), adding its offered count.
    mutating func merge(_ other: BoundedBest<Element>) {
        let before = offered
        for e in other.heap { offer(e) }
        offered = before + other.offered
    }

    /// The kept elements, smallest first.
    func sorted() -> [Element] { heap.sorted() }

    private mutating func siftUp(_ i: Int) {
        var c = i
        while c > 0 {
            let p = (c - 1) / 2
            guard heap[p] < heap[c] else { return }
            heap.swapAt(p, c)
            c = p
        }
    }

    private mutating func siftDown(_ i: Int) {
        var p = i
        let n = heap.count
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < n && heap[m] < heap[l] { m = l }
            if r < n && heap[m] < heap[r] { m = r }
            if m == p { return }
            heap.swapAt(p, m)
            p = m
        }
    }
}
