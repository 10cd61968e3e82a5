import ArgumentParser
import Foundation
import Layers

/// `chizu layers`: list and validate the layer definitions.
struct LayersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layers",
        abstract: "List and validate the layer definitions (layers/*.yaml).",
        discussion: "Every problem is reported with its file, key and line; the exit status is non-zero if there is any.")

    @Option(name: .long, help: "Directory of layer definitions (*.yaml).")
    var layers: String = "layers"

    @Flag(name: .long, help: "Print the fields of each layer too.")
    var fields = false

    func run() throws {
        let catalog: LayerCatalog
        do { catalog = try LayerCatalog.load(directory: URL(fileURLWithPath: layers)) } catch let e as LayerCatalogError {
            printError(e.description)
            throw ExitCode(2)
        }
        print("\(catalog.layers.count) layers in \(layers): all valid")
        for l in catalog.layers {
            let pad = l.id.padding(toLength: 20, withPad: " ", startingAt: 0)
            print("  \(pad) \(l.access.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(l.geometryType.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(l.storageCRS)  \(l.department.padding(toLength: 20, withPad: " ", startingAt: 0)) \(l.title.ja) / \(l.title.en)")
            if fields {
                for f in l.fields {
                    let flags = [f.required ? "required" : nil, f.name == l.keyField ? "key" : nil, f.visibility == .internal ? "internal" : nil]
                        .compactMap { $0 }.joined(separator: ",")
                    print("      \(f.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(f.type.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) ← \(f.source)  \(f.label.ja) \(flags.isEmpty ? "" : "[\(flags)]")")
                }
            }
        }
    }
}
