import Foundation
import Yams

/// The city's settings (`settings.yaml`): what a city changes without touching code — the map's
/// basemap, routing speeds and truck limits, rain thresholds, the server's resource limits. Every key is optional; a missing key
/// takes the default shown in the repository's `settings.yaml`.
public struct ChizuSettings: Sendable, Codable, Equatable {
    public var map: MapSettings
    public var routing: RoutingSettings
    public var rain: RainSettings
    public var limits: LimitSettings

    public init(map: MapSettings = MapSettings(), routing: RoutingSettings = RoutingSettings(), rain: RainSettings = RainSettings(),
                limits: LimitSettings = LimitSettings()) {
        self.map = map; self.routing = routing; self.rain = rain; self.limits = limits
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        map = try c.decodeIfPresent(MapSettings.self, forKey: .map) ?? MapSettings()
        routing = try c.decodeIfPresent(RoutingSettings.self, forKey: .routing) ?? RoutingSettings()
        rain = try c.decodeIfPresent(RainSettings.self, forKey: .rain) ?? RainSettings()
        limits = try c.decodeIfPresent(LimitSettings.self, forKey: .limits) ?? LimitSettings()
    }

    /// Reads settings from YAML text; `file` names the source in errors.
    public static func parse(_ yaml: String, file: String = "settings.yaml") throws -> ChizuSettings {
        if yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return ChizuSettings() }
        do {
            return try YAMLDecoder().decode(ChizuSettings.self, from: yaml)
        } catch let error as DecodingError {
            throw SettingsError(file: file, error: error)
        } catch {
            throw LayerDefinitionError(file: file, key: "", problem: "not valid YAML: \(error)")
        }
    }

    /// Loads `path`; a missing file gives the defaults (a fresh checkout works without one).
    public static func load(path: String) throws -> ChizuSettings {
        guard FileManager.default.fileExists(atPath: path) else { return ChizuSettings() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else {
            throw LayerDefinitionError(file: path, key: "", problem: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }
}

/// A settings file that does not decode: the key path and what was expected.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var problem: String

    init(file: String, error: DecodingError) {
        self.file = file
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(let type, let ctx): key = path(ctx.codingPath); problem = "expected \(type): \(ctx.debugDescription)"
        case .valueNotFound(let type, let ctx): key = path(ctx.codingPath); problem = "missing \(type) value"
        case .keyNotFound(let k, let ctx): key = path(ctx.codingPath + [k]); problem = "required key is missing"
        case .dataCorrupted(let ctx): key = path(ctx.codingPath); problem = ctx.debugDescription
        @unknown default: key = ""; problem = "\(error)"
        }
    }

    public var description: String { key.isEmpty ? "\(file): \(problem)" : "\(file): \(key): \(problem)" }
}

extension KeyedDecodingContainer {
    /// The value under `key`, or `fallback` when the key is absent.
    func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
