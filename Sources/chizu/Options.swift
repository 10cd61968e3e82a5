import ArgumentParser
import Foundation
import Layers
import Store

/// Options every command that touches the database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SpatiaLite database file.")
    var db: String = "var/chizu.sqlite"

    @Option(name: .long, help: "Directory of layer definitions (*.yaml).")
    var layers: String = "layers"

    @Option(name: .long, help: "The city's settings file (map basemap, routing speeds and truck limits, rain thresholds).")
    var settings: String = "settings.yaml"

    /// Loads the settings file (defaults when it does not exist).
    func citySettings() throws -> ChizuSettings {
        do { return try ChizuSettings.load(path: settings) } catch let e as SettingsError { printError(e.description); throw ExitCode(2) }
    }

    /// Loads the layer definitions, turning problems into a readable failure.
    func catalog() throws -> LayerCatalog {
        try LayerCatalog.load(directory: URL(fileURLWithPath: layers))
    }

    /// Opens the existing database.
    func openStore(readonly: Bool = false) throws -> SpatialStore {
        try SpatialStore(path: db, readonly: readonly)
    }
}

/// Prints to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
