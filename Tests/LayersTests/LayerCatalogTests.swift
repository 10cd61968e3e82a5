import Foundation
import Testing
import TestSupport
@testable import Layers

@Suite struct ShippedLayerDefinitionTests {
    let catalog: LayerCatalog

    init() throws {
        catalog = try LayerCatalog.load(directory: TestSupport.repositoryRoot.appendingPathComponent("layers"))
    }

    @Test func shipsTheCitysLayers() {
        let ids = Set(catalog.layers.map(\.id))
        #expect(ids.isSuperset(of: ["roads", "sewer_pipes", "manholes", "rain_gauges", "cameras", "yard_waste_points", "facilities"]))
    }

    @Test func cameraModelAndDirectionAreInternal() throws {
        let cameras = try #require(catalog.layer("cameras"))
        #expect(cameras.field(named: "model")?.visibility == .internal)
        #expect(cameras.field(named: "direction")?.visibility == .internal)
        #expect(cameras.visibleFields(includeInternal: false).map(\.name).contains("model") == false)
    }

    @Test func yardWastePointsAreInternalToSanitation() throws {
        let points = try #require(catalog.layer("yard_waste_points"))
        #expect(points.access == .internal)
        #expect(points.department == "sanitation")
    }

    @Test func manholesReadSurveyNorthingEasting() throws {
        let manholes = try #require(catalog.layer("manholes"))
        #expect(manholes.source.geometry == .northingEasting(northing: "X", easting: "Y"))
        #expect(manholes.source.encoding == .cp932)
        #expect(manholes.source.crs?.epsg == 6677)
    }

    @Test func rainGaugesDefineTenMinuteReadings() throws {
        let readings = try #require(catalog.layer("rain_gauges")?.readings)
        #expect(readings.intervalSeconds == 600)
        #expect(readings.source.missingValues.contains("///"))
        #expect(readings.source.missingValues.contains("欠測"))
        #expect(readings.timeZone == "+09:00")
    }
}

@Suite struct LayerDefinitionErrorTests {
    static let valid = """
    id: parks
    title: {ja: 公園, en: Parks}
    geometry: point
    access: public
    department: civil_engineering
    key: park_id
    extent: [139, 35, 140, 36]
    source: {files: [parks.csv], format: csv, crs: EPSG:4326, geometry: {lat: 緯度, lon: 経度}}
    fields:
      - {name: park_id, source: 公園番号, type: text, required: true}
    """

    func problems(_ yaml: String) -> [LayerDefinitionError] {
        do { _ = try LayerCatalog.parse(yaml: yaml, file: "parks.yaml"); return [] }
        catch let e as LayerCatalogError { return e.problems }
        catch { return [LayerDefinitionError(file: "?", key: "?", problem: "\(error)")] }
    }

    @Test func aValidDefinitionParses() throws {
        let layer = try LayerCatalog.parse(yaml: Self.valid, file: "parks.yaml")
        #expect(layer.id == "parks")
        #expect(layer.storageCRS.epsg == 6677)
        #expect(layer.fields.first?.source == "公園番号")
        #expect(layer.title.en == "Parks")
    }

    @Test func misspeltKeyIsReportedWithItsPathAndLine() {
        let yaml = Self.valid + "\n  - {name: note, type: text, visibilty: internal}\n"
        let p = problems(yaml)
        #expect(p.count == 1)
        #expect(p.first?.key == "fields[1].visibilty")
        #expect(p.first?.line == 11)
        #expect(p.first?.problem.contains("unknown key") == true)
    }

    @Test func missingRequiredKeyIsNamed() {
        let yaml = Self.valid.replacingOccurrences(of: "access: public\n", with: "")
        #expect(problems(yaml).map(\.key) == ["access"])
    }

    @Test func wrongEnumValueListsTheChoices() {
        let yaml = Self.valid.replacingOccurrences(of: "type: text", with: "type: string")
        let p = problems(yaml)
        #expect(p.first?.key == "fields[0].type")
        #expect(p.first?.problem.contains("text, integer, real, date, datetime, boolean") == true)
    }

    @Test func keyMustBeAField() {
        let yaml = Self.valid.replacingOccurrences(of: "key: park_id", with: "key: id")
        #expect(problems(yaml).contains { $0.key == "key" && $0.problem.contains("not one of the layer's fields") })
    }

    @Test func csvNeedsGeometryColumns() {
        let yaml = Self.valid.replacingOccurrences(of: ", geometry: {lat: 緯度, lon: 経度}", with: "")
        #expect(problems(yaml).contains { $0.key == "source.geometry" })
    }

    @Test func unknownCRSIsRejected() {
        let yaml = Self.valid.replacingOccurrences(of: "crs: EPSG:4326", with: "crs: EPSG:999999")
        #expect(problems(yaml).contains { $0.key == "source.crs" && $0.problem.contains("PROJ") })
    }

    @Test func badExtentIsRejected() {
        let yaml = Self.valid.replacingOccurrences(of: "[139, 35, 140, 36]", with: "[140, 35, 139, 36]")
        #expect(problems(yaml).contains { $0.key == "extent" })
    }

    @Test func invalidYAMLSaysSo() {
        #expect(problems("id: [unclosed").first?.problem.contains("not valid YAML") == true)
    }

    @Test func duplicateLayerIdsAcrossFilesAreRejected() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.valid.write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try Self.valid.write(to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        #expect {
            try LayerCatalog.load(directory: dir)
        } throws: { error in
            (error as? LayerCatalogError)?.problems.contains { $0.file == "b.yaml" && $0.problem.contains("a.yaml") } == true
        }
    }

    @Test func aNewLayerNeedsOnlyAFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.valid.write(to: dir.appendingPathComponent("parks.yaml"), atomically: true, encoding: .utf8)
        #expect(try LayerCatalog.load(directory: dir).layers.map(\.id) == ["parks"])
    }
}
