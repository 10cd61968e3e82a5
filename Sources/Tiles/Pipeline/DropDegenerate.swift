extension TilePipeline {
    /// Step 6 — drop degenerate: removes repeated consecutive positions, then lines with fewer than
    /// two positions, rings with fewer than four or with zero area, and polygons whose exterior went.
    /// Returns nil when nothing is left.
    public static func dropDegenerate(_ geometry: TileGeometry) -> TileGeometry? {
        let result: TileGeometry
        switch geometry {
        case let .points(ps):
            result = .points(ps)
        case let .lines(ls):
            result = .lines(ls.map(dedupe).filter { $0.count >= 2 })
        case let .polygons(polys):
            result = .polygons(polys.compactMap { rings in
                let kept = rings.map(dedupe).map { $0.count >= 4 && signedDoubleArea($0) != 0 ? $0 : [] }
                guard let exterior = kept.first, !exterior.isEmpty else { return nil }
                return [exterior] + kept.dropFirst().filter { !$0.isEmpty }
            })
        }
        return result.isEmpty ? nil : result
    }

    static func dedupe(_ line: [TilePoint]) -> [TilePoint] {
        var out: [TilePoint] = []
        out.reserveCapacity(line.count)
        for p in line where out.last != p { out.append(p) }
        return out
    }
}
