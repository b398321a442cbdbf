import Foundation

/// A tiny Newick reader for the tests: leaf names (quoted or bare), branch lengths and internal labels.
enum NewickParser {
    indirect enum Tree: Equatable {
        case leaf(String, Double?)
        case node([Tree], String?, Double?)

        var leaves: [String] {
            switch self {
            case .leaf(let name, _): [name]
            case .node(let children, _, _): children.flatMap(\.leaves)
            }
        }
    }

    struct Failure: Error { var message: String }

    static func parse(_ text: String) throws -> Tree {
        var chars = Array(text.trimmingCharacters(in: .whitespacesAndNewlines))
        var i = 0
        func peek() -> Character? { i < chars.count ? chars[i] : nil }
        func name() throws -> String? {
            if peek() == "'" {
                i += 1
                var out = ""
                while true {
                    guard let c = peek() else { throw Failure(message: "unterminated quote") }
                    i += 1
                    if c == "'" {
                        if peek() == "'" { out.append("'"); i += 1 } else { return out }
                    } else { out.append(c) }
                }
            }
            var out = ""
            while let c = peek(), !"(),:;".contains(c) { out.append(c); i += 1 }
            return out.isEmpty ? nil : out
        }
        func length() throws -> Double? {
            guard peek() == ":" else { return nil }
            i += 1
            var out = ""
            while let c = peek(), c.isNumber || c == "." || c == "-" || c == "e" || c == "E" { out.append(c); i += 1 }
            guard let value = Double(out) else { throw Failure(message: "bad branch length \(out)") }
            return value
        }
        func subtree() throws -> Tree {
            if peek() == "(" {
                i += 1
                var children = [try subtree()]
                while peek() == "," { i += 1; children.append(try subtree()) }
                guard peek() == ")" else { throw Failure(message: "expected ) at \(i)") }
                i += 1
                let label = try name()
                return .node(children, label, try length())
            }
            guard let leaf = try name() else { throw Failure(message: "expected a name at \(i)") }
            return .leaf(leaf, try length())
        }
        let tree = try subtree()
        guard peek() == ";", i == chars.count - 1 else { throw Failure(message: "expected ; at the end") }
        chars = []
        return tree
    }
}

