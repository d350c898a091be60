/// A dotted path to a workflow value, as users read it: `explore.stages[0].temperatures[1]`.
public struct KeyPath: Sendable, Hashable, CustomStringConvertible {
    public private(set) var description: String

    public init(_ root: String = "") {
        description = root
    }

    public func key(_ name: String) -> KeyPath {
        KeyPath(description.isEmpty ? name : "\(description).\(name)")
    }

    public func index(_ i: Int) -> KeyPath {
        KeyPath("\(description)[\(i)]")
    }

    public static func / (lhs: KeyPath, rhs: String) -> KeyPath { lhs.key(rhs) }
}
