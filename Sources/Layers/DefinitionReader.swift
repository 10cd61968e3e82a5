import Foundation
import Yams

/// A problem in a layer definition: which file, which key, what is wrong.
public struct LayerDefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Dotted key path, e.g. `fields[3].type`.
    public var key: String
    /// Line in the file, when known.
    public var line: Int?
    public var problem: String

    public init(file: String, key: String, line: Int? = nil, problem: String) {
        self.file = file; self.key = key; self.line = line; self.problem = problem
    }

    public var description: String {
        let at = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(at): \(problem)" : "\(at): \(key): \(problem)"
    }
}

/// All problems found in a set of layer definitions.
public struct LayerCatalogError: Error, Sendable, CustomStringConvertible {
    public var problems: [LayerDefinitionError]
    public var description: String {
        "\(problems.count) problem(s) in layer definitions:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Walks a YAML node tree, remembering the key path so every error can say where it is, and
/// collecting problems instead of stopping at the first one. Unknown keys are problems too:
/// a misspelt `visibilty:` must not silently make an internal field public.
final class DefinitionReader {
    let file: String
    private(set) var problems: [LayerDefinitionError] = []

    init(file: String) { self.file = file }

    func fail(_ path: String, _ node: Node?, _ problem: String) {
        problems.append(LayerDefinitionError(file: file, key: path, line: node?.mark?.line, problem: problem))
    }

    /// The mapping at `node`, reporting unknown keys against `allowed`.
    func mapping(_ node: Node?, _ path: String, allowed: Set<String>) -> [String: Node]? {
        guard let node else { return nil }
        guard let map = node.mapping else { fail(path, node, "expected a mapping (key: value)"); return nil }
        var out: [String: Node] = [:]
        for (k, v) in map {
            guard let key = k.string else { fail(path, k, "keys must be text"); continue }
            if !allowed.contains(key) {
                let hint = allowed.sorted().joined(separator: ", ")
                fail(join(path, key), k, "unknown key (allowed: \(hint))")
                continue
            }
            out[key] = v
        }
        return out
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func string(_ map: [String: Node]?, _ key: String, _ path: String, required: Bool = false) -> String? {
        guard let node = map?[key] else {
            if required, map != nil { fail(join(path, key), nil, "is required") }
            return nil
        }
        guard let scalar = node.scalar else { fail(join(path, key), node, "expected a text value"); return nil }
        return scalar.string
    }

    func number(_ map: [String: Node]?, _ key: String, _ path: String, required: Bool = false) -> Double? {
        guard let s = string(map, key, path, required: required) else { return nil }
        guard let v = Double(s), v.isFinite else { fail(join(path, key), map?[key], "expected a number, found \"\(s)\""); return nil }
        return v
    }

    func integer(_ map: [String: Node]?, _ key: String, _ path: String, required: Bool = false) -> Int? {
        guard let s = string(map, key, path, required: required) else { return nil }
        guard let v = Int(s) else { fail(join(path, key), map?[key], "expected an integer, found \"\(s)\""); return nil }
        return v
    }

    func bool(_ map: [String: Node]?, _ key: String, _ path: String) -> Bool? {
        guard let node = map?[key] else { return nil }
        guard let b = node.bool else { fail(join(path, key), node, "expected true or false"); return nil }
        return b
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ map: [String: Node]?, _ key: String, _ path: String,
                                                        required: Bool = false) -> E? where E.RawValue == String {
        guard let s = string(map, key, path, required: required) else { return nil }
        guard let v = E(rawValue: s.lowercased()) else {
            let options = E.allCases.map(\.rawValue).joined(separator: ", ")
            fail(join(path, key), map?[key], "\"\(s)\" is not one of: \(options)")
            return nil
        }
        return v
    }

    func sequence(_ map: [String: Node]?, _ key: String, _ path: String) -> [Node]? {
        guard let node = map?[key] else { return nil }
        guard let seq = node.sequence else { fail(join(path, key), node, "expected a list"); return nil }
        return Array(seq)
    }

    func strings(_ map: [String: Node]?, _ key: String, _ path: String) -> [String]? {
        guard let node = map?[key] else { return nil }
        if let s = node.scalar { return [s.string] }
        guard let seq = node.sequence else { fail(join(path, key), node, "expected a list of text values"); return nil }
        var out: [String] = []
        for (i, item) in seq.enumerated() {
            guard let s = item.scalar else { fail("\(join(path, key))[\(i)]", item, "expected a text value"); continue }
            out.append(s.string)
        }
        return out
    }

    /// `{ja: ..., en: ...}` or a plain string (Japanese only).
    func localized(_ map: [String: Node]?, _ key: String, _ path: String, required: Bool = false) -> LocalizedText? {
        guard let node = map?[key] else {
            if required, map != nil { fail(join(path, key), nil, "is required") }
            return nil
        }
        if let s = node.scalar { return LocalizedText(ja: s.string) }
        let m = mapping(node, join(path, key), allowed: ["ja", "en"])
        guard let ja = string(m, "ja", join(path, key), required: true) else { return nil }
        return LocalizedText(ja: ja, en: string(m, "en", join(path, key)))
    }
}
