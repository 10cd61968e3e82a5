import Features
import Foundation
import Layers
import Store

/// Adds live values to one layer's features as they are served (items, item, HTML page), without the
/// item routes knowing what they are: e.g. a rain gauge's current rainfall.
protocol FeatureDecorator: Sendable {
    /// Extra properties, appended after the layer's own fields.
    var fields: [FieldDefinition] { get }
    /// The features with the extra properties set.
    func decorate(_ features: [StoredFeature], layer: LayerDefinition) throws -> [StoredFeature]
    /// Changes whenever the extra values may have changed (part of the ETag).
    func version() throws -> String
    /// HTML placed on a feature's page (e.g. a chart).
    func html(for feature: StoredFeature, layer: LayerDefinition, lang: String) throws -> String
}

/// The decorators by layer id; empty for layers without live values.
struct FeatureDecorations: Sendable {
    var byLayer: [String: any FeatureDecorator] = [:]

    func fields(_ layer: LayerDefinition) -> [FieldDefinition] { byLayer[layer.id]?.fields ?? [] }

    func decorate(_ features: [StoredFeature], layer: LayerDefinition) throws -> [StoredFeature] {
        guard let d = byLayer[layer.id] else { return features }
        return try d.decorate(features, layer: layer)
    }

    func version(_ layer: LayerDefinition) throws -> String { try byLayer[layer.id]?.version() ?? "" }

    func html(for feature: StoredFeature, layer: LayerDefinition, lang: String) throws -> String {
        try byLayer[layer.id]?.html(for: feature, layer: layer, lang: lang) ?? ""
    }
}
