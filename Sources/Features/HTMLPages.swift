import Foundation
import Layers
import Store

/// Server-rendered HTML pages in Japanese (default) or English: landing, collections, a collection,
/// its features as a table with paging, and one feature. Plain HTML, readable on a phone.
public struct HTMLPages: Sendable {
    public let lang: String
    public init(lang: String) { self.lang = lang == "en" ? "en" : "ja" }

    func t(_ ja: String, _ en: String) -> String { lang == "en" ? en : ja }
    func title(_ l: LocalizedText) -> String { lang == "en" ? l.en : l.ja }

    /// Escapes text for HTML.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    func page(_ heading: String, _ body: String, crumbs: [(String, String)] = []) -> String {
        let nav = ([("/", "Chizu 地図")] + crumbs).map { "<a href=\"\(Self.escape($0.0))\">\(Self.escape($0.1))</a>" }.joined(separator: " › ")
        let other = lang == "en" ? "<a href=\"?lang=ja\" lang=\"ja\">日本語</a>" : "<a href=\"?lang=en\" lang=\"en\">English</a>"
        return """
        <!doctype html>
        <html lang="\(lang)"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(heading)) — Chizu</title>
        <style>
        body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0 auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.5}
        header{display:flex;justify-content:space-between;gap:1rem;padding:.75rem 0;border-bottom:1px solid #ccc;flex-wrap:wrap}
        a{color:#0b57d0} table{border-collapse:collapse;width:100%;font-size:.9rem} .scroll{overflow-x:auto}
        th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top} th{background:#f1f3f4}
        .muted{color:#555} nav.paging{display:flex;gap:1rem;margin:1rem 0}
        </style></head><body>
        <header><nav aria-label="\(t("現在地", "Breadcrumb"))">\(nav)</nav><span>\(other)</span></header>
        <main><h1>\(Self.escape(heading))</h1>
        \(body)
        </main></body></html>
        """
    }

    public func landing() -> String {
        page(t("伊勢原市 地理情報システム", "Isehara City GIS"), """
        <p>\(t("市の公開地図データを閲覧・ダウンロードできます。", "Browse and download the city's public map data."))</p>
        <ul>
        <li><a href="/map">\(t("地図を見る", "Open the map"))</a></li>
        <li><a href="/collections?f=html">\(t("データ一覧", "Data collections"))</a></li>
        <li><a href="/api">\(t("API 定義 (OpenAPI)", "API definition (OpenAPI)"))</a></li>
        <li><a href="/conformance">\(t("適合クラス", "Conformance"))</a></li>
        </ul>
        """)
    }

    public func collections(_ layers: [(LayerDefinition, LayerInfo?)]) -> String {
        let rows = layers.map { l, info in
            "<tr><td><a href=\"/collections/\(l.id)?f=html\">\(Self.escape(title(l.title)))</a></td><td>\(Self.escape(title(l.description)))</td><td>\(info?.featureCount ?? 0)</td><td>\(l.access == .public ? t("公開", "public") : t("庁内", "internal"))</td></tr>"
        }.joined(separator: "\n")
        return page(t("データ一覧", "Collections"), """
        <div class="scroll"><table><thead><tr><th>\(t("名称", "Title"))</th><th>\(t("説明", "Description"))</th><th>\(t("件数", "Features"))</th><th>\(t("公開区分", "Access"))</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """, crumbs: [("/collections?f=html", t("データ一覧", "Collections"))])
    }

    public func collection(_ l: LayerDefinition, info: LayerInfo?, fields: [FieldDefinition]) -> String {
        let rows = fields.map { "<tr><td>\(Self.escape(title($0.label)))</td><td><code>\($0.name)</code></td><td>\($0.type.rawValue)</td><td>\(Self.escape($0.unit ?? ""))</td></tr>" }.joined()
        return page(title(l.title), """
        <p>\(Self.escape(title(l.description)))</p>
        <p class="muted">\(t("件数", "Features")): \(info?.featureCount ?? 0) · \(t("更新", "Updated")): \(Self.escape(info?.updatedAt ?? "-")) · \(t("ライセンス", "Licence")): \(Self.escape(l.license)) · \(t("出典", "Attribution")): \(Self.escape(l.attribution))</p>
        <ul><li><a href="/collections/\(l.id)/items?f=html">\(t("地物の一覧", "Browse features"))</a></li>
        <li><a href="/collections/\(l.id)/items?f=csv&amp;limit=10000">CSV</a> · <a href="/collections/\(l.id)/items?limit=10000">GeoJSON</a></li></ul>
        <h2>\(t("項目", "Fields"))</h2>
        <div class="scroll"><table><thead><tr><th>\(t("項目名", "Label"))</th><th>\(t("名前", "Name"))</th><th>\(t("型", "Type"))</th><th>\(t("単位", "Unit"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
        """, crumbs: [("/collections?f=html", t("データ一覧", "Collections")), ("/collections/\(l.id)?f=html", title(l.title))])
    }

    /// A page of features as a table; `prev`/`next` are query strings for the neighbouring pages.
    public func items(_ l: LayerDefinition, fields: [FieldDefinition], features: [StoredFeature], matched: Int, offset: Int,
                      prev: String?, next: String?) -> String {
        let head = fields.map { "<th>\(Self.escape(title($0.label)))</th>" }.joined()
        let rows = features.map { f in
            let key = f.properties[l.keyField]?.description ?? String(f.fid)
            let link = "/collections/\(l.id)/items/\(key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? key)?f=html"
            let cells = fields.map { "<td>\(Self.escape(f.properties[$0.name]?.description ?? ""))</td>" }.joined()
            return "<tr><td><a href=\"\(Self.escape(link))\">\(Self.escape(key))</a></td>\(cells)</tr>"
        }.joined(separator: "\n")
        let from = features.isEmpty ? 0 : offset + 1
        let paging = [prev.map { "<a rel=\"prev\" href=\"\(Self.escape($0))\">← \(t("前へ", "Previous"))</a>" },
                      next.map { "<a rel=\"next\" href=\"\(Self.escape($0))\">\(t("次へ", "Next")) →</a>" }].compactMap { $0 }.joined()
        return page(title(l.title), """
        <p class="muted">\(matched) \(t("件中", "features;")) \(from)–\(offset + features.count) \(t("件を表示", "shown"))</p>
        <div class="scroll"><table><thead><tr><th>ID</th>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
        <nav class="paging" aria-label="\(t("ページ", "Pages"))">\(paging)</nav>
        """, crumbs: [("/collections?f=html", t("データ一覧", "Collections")), ("/collections/\(l.id)?f=html", title(l.title))])
    }

    /// `extra` is HTML placed under the table (e.g. a rain gauge's hyetograph).
    public func item(_ l: LayerDefinition, fields: [FieldDefinition], feature f: StoredFeature, lonLat: (Double, Double)?, extra: String = "") -> String {
        let key = f.properties[l.keyField]?.description ?? String(f.fid)
        let rows = fields.map { "<tr><th>\(Self.escape(title($0.label)))</th><td>\(Self.escape(f.properties[$0.name]?.description ?? ""))\($0.unit.map { " \(Self.escape($0))" } ?? "")</td></tr>" }.joined()
        let map = lonLat.map { "<p><a href=\"https://maps.gsi.go.jp/#18/\(String(format: "%.6f", $0.1))/\(String(format: "%.6f", $0.0))\">\(t("地理院地図で見る", "View on the GSI map"))</a></p>" } ?? ""
        return page("\(title(l.title)) \(key)", """
        <table><tbody>\(rows)</tbody></table>\(extra)\(map)
        <p><a href="?f=json">GeoJSON</a></p>
        """, crumbs: [("/collections?f=html", t("データ一覧", "Collections")), ("/collections/\(l.id)?f=html", title(l.title)),
                      ("/collections/\(l.id)/items?f=html", t("地物", "Features"))])
    }
}
