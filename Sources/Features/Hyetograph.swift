import Foundation

/// A hyetograph (ハイエトグラフ) as inline SVG: a bar per interval's rainfall and the cumulative
/// rainfall as a line on a second axis. Drawn server-side, no script.
public struct Hyetograph: Sendable {
    /// One bar: its label (end of the interval) and rainfall in mm (nil = missing, drawn as a gap).
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var mm: Double?
        public init(label: String, mm: Double?) { self.label = label; self.mm = mm }
    }

    public var width = 640.0
    public var height = 220.0
    public var title: String
    public var barColor = "#0c8599"
    public var lineColor = "#c92a2a"

    public init(title: String) { self.title = title }

    /// The chart as an `<svg>` element.
    public func svg(_ bars: [Bar]) -> String {
        let left = 44.0, right = 48.0, top = 16.0, bottom = 30.0
        let w = width - left - right, h = height - top - bottom
        let maxBar = Self.niceCeiling(bars.compactMap(\.mm).max() ?? 0)
        var cumulative: [Double] = []
        var total = 0.0
        for b in bars { total += b.mm ?? 0; cumulative.append(total) }
        let maxCum = Self.niceCeiling(total)
        let n = max(1, bars.count)
        let step = w / Double(n)
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hyetograph\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTMLPages.escape(title))\">"
        s += "<title>\(HTMLPages.escape(title))</title>"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"none\" stroke=\"#ccc\"/>"
        for i in 0...4 {
            let y = top + h - h * Double(i) / 4
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + w))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" font-size=\"10\" text-anchor=\"end\">\(Self.number(maxBar * Double(i) / 4))</text>"
            s += "<text x=\"\(f(left + w + 4))\" y=\"\(f(y + 4))\" font-size=\"10\" fill=\"\(lineColor)\">\(Self.number(maxCum * Double(i) / 4))</text>"
        }
        for (i, b) in bars.enumerated() {
            guard let mm = b.mm, mm > 0 else { continue }
            let bh = h * mm / maxBar
            s += "<rect x=\"\(f(left + Double(i) * step + step * 0.1))\" y=\"\(f(top + h - bh))\" width=\"\(f(max(0.5, step * 0.8)))\" height=\"\(f(bh))\" fill=\"\(barColor)\"><title>\(HTMLPages.escape(b.label)) \(Self.number(mm)) mm</title></rect>"
        }
        if !bars.isEmpty {
            let points = cumulative.enumerated().map { i, c in "\(f(left + (Double(i) + 1) * step)),\(f(top + h - h * c / maxCum))" }
            s += "<polyline points=\"\(f(left)),\(f(top + h)) \(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(lineColor)\" stroke-width=\"2\"/>"
            let ticks = Swift.min(6, bars.count)
            for k in 0..<ticks {
                let i = (bars.count - 1) * k / Swift.max(1, ticks - 1)
                s += "<text x=\"\(f(left + (Double(i) + 1) * step))\" y=\"\(f(height - 10))\" font-size=\"10\" text-anchor=\"middle\">\(HTMLPages.escape(bars[i].label))</text>"
            }
        }
        s += "<text x=\"4\" y=\"12\" font-size=\"10\">mm</text><text x=\"\(f(width - 4))\" y=\"12\" font-size=\"10\" text-anchor=\"end\" fill=\"\(lineColor)\">累加 mm</text>"
        return s + "</svg>"
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `v` (at least 1 mm, so a dry chart still has an axis).
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 1 else { return 1 }
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2.0, 5.0, 10.0] where m * p >= v { return m * p }
        return 10 * p
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
