import Foundation
import Layers
import Store

extension Ingestor {
    /// Ingests a sensor layer's readings file (e.g. 10-minute rainfall): sites must exist in the layer,
    /// times are parsed with the definition's format and offset, missing tokens are stored as missing
    /// (never 0), absurd or future values are problems. Idempotent on (site, time): re-loading a file
    /// stores nothing new, a corrected value replaces the earlier one.
    func ingestReadings(layer: LayerDefinition, file url: URL, options: IngestOptions) throws -> IngestReport {
        guard let def = layer.readings else { throw SourceError(file: url.lastPathComponent, problem: "\(layer.id) has no readings") }
        let started = Date()
        let file = url.lastPathComponent
        let checksum = try Self.checksum([url])
        report(layer.id, "reading \(file)", 0, 1)
        let contents = try CSVReader.read(url, source: def.source)
        for column in [def.siteColumn, def.timeColumn, def.valueColumn] where !contents.columns.contains(column) {
            throw SourceError(file: file, location: "line 1",
                              problem: "column \"\(column)\" not found; the file has: \(contents.columns.joined(separator: ", "))")
        }
        var rep = IngestReport(layer: layer.id, kind: "readings", files: [file], checksum: checksum,
                               encoding: contents.encodingUsed, sourceCRS: nil, mode: "upsert", status: .committed)
        let sites = Set(try store.features(of: layer, limit: 1_000_000).compactMap { $0.properties[layer.keyField]?.description })
        let converter = FieldConverter(missingValues: def.source.missingValues, defaultOffset: def.timeZone)
        let parser = ReadingTimeParser(format: def.timeFormat, offset: def.timeZone)
        let horizon = Int64(Date().timeIntervalSince1970) + Int64(def.intervalSeconds)
        var readings: [Reading] = []
        var seen: [String: Int] = [:]
        for p in contents.rowProblems {
            rep.read += 1; rep.rejected += 1
            rep.add(FeatureProblem(file: file, location: p.location, kind: "unreadable-row", message: p.problem))
        }
        let valueField = FieldDefinition(name: "value", source: def.valueColumn, type: .real, label: LocalizedText(ja: def.valueColumn))
        for row in contents.features {
            rep.read += 1
            func problem(_ field: String, _ kind: String, _ message: String) {
                rep.rejected += 1
                rep.add(FeatureProblem(file: file, location: row.location, field: field, kind: kind, message: message))
            }
            guard case .string(let siteRaw)? = row.attributes[def.siteColumn],
                  case let site = siteRaw.trimmingCharacters(in: .whitespaces), !site.isEmpty else {
                problem(def.siteColumn, "required-missing", "the site is missing"); continue
            }
            guard sites.contains(site) else {
                problem(def.siteColumn, "unknown-site", "site \"\(site)\" is not in layer \(layer.id); load the sites first"); continue
            }
            guard case .string(let timeRaw)? = row.attributes[def.timeColumn], let t = parser.epochSeconds(timeRaw) else {
                problem(def.timeColumn, "bad-date", "\"\(row.attributes[def.timeColumn].map { "\($0)" } ?? "")\" is not a time like \(def.timeFormat ?? "ISO 8601")"); continue
            }
            guard t <= horizon else { problem(def.timeColumn, "future-time", "\(timeRaw.trimmingCharacters(in: .whitespaces)) is in the future"); continue }
            var value: Double?
            switch converter.convert(row.attributes[def.valueColumn] ?? .missing, for: valueField) {
            case .failure(let p): problem(def.valueColumn, p.kind, p.description); continue
            case .success(let v): value = v.doubleValue
            }
            if let v = value, !def.validRange.contains(v) {
                problem(def.valueColumn, "absurd-value",
                        "\(v) \(def.unit) is outside the plausible range \(def.validRange.lowerBound)…\(def.validRange.upperBound)"); continue
            }
            let key = "\(site)@\(t)"
            if let i = seen[key] {
                readings[i].value = value   // a later row for the same time corrects the earlier one
                rep.add(FeatureProblem(file: file, location: row.location, field: def.timeColumn, kind: "duplicate-reading",
                                       message: "\(site) at \(timeRaw) appears twice; the later value is kept", repaired: true))
                rep.repaired += 1
                continue
            }
            seen[key] = readings.count
            readings.append(Reading(site: site, observedAt: t, value: value))
        }
        rep.seconds = Date().timeIntervalSince(started)
        let counts = RunCounts(read: rep.read, written: 0, repaired: rep.repaired, rejected: rep.rejected)
        let source = RunSource(files: [url.path], checksum: checksum, startedAt: started)
        if rep.rejected > 0 && options.onError == .rejectFile {
            rep.status = options.dryRun ? .dryRun : .rejected
            if !options.dryRun {
                rep.runId = try store.recordRejectedRun(layer: layer.id, kind: "readings", source: source, mode: "upsert",
                                                        counts: counts, report: rep.text)
            }
            logger.warning("ingest rejected", metadata: meta(rep))
            return rep
        }
        if options.dryRun { rep.status = .dryRun; rep.written = readings.count; return rep }
        rep.runId = try store.storeReadings(readings, layer: layer.id, source: source, counts: counts, report: rep.text)
        rep.written = readings.count
        rep.seconds = Date().timeIntervalSince(started)
        logger.info("ingest committed", metadata: meta(rep))
        return rep
    }
}

/// Parses reading times: the definition's pattern (`yyyy-MM-dd HH:mm`, `yyyy/MM/dd HH:mm:ss`, ...)
/// or ISO 8601; times without an offset get the definition's (JST).
struct ReadingTimeParser: Sendable {
    let format: String?
    let offset: String

    init(format: String?, offset: String) { self.format = format; self.offset = offset }

    /// Seconds since 1970 UTC, or nil.
    func epochSeconds(_ raw: String) -> Int64? {
        let converter = FieldConverter(missingValues: [], defaultOffset: offset)
        guard let iso = converter.dateTime(raw) else { return nil }
        return Self.epoch(iso)
    }

    /// `2026-11-20T00:10:00+09:00` → seconds since 1970 UTC.
    static func epoch(_ iso: String) -> Int64? {
        let s = Array(iso.utf8)
        guard s.count == 25 else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? { Int(String(decoding: s[a..<b], as: UTF8.self)) }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
              let se = num(17, 19), let oh = num(20, 22), let om = num(23, 25) else { return nil }
        let sign: Int64 = s[19] == UInt8(ascii: "-") ? -1 : 1
        let days = daysFromCivil(y, mo, d)
        let local = Int64(days) * 86400 + Int64(h * 3600 + mi * 60 + se)
        return local - sign * Int64(oh * 3600 + om * 60)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
