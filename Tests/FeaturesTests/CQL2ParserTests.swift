import Foundation
import GeoCore
import Testing
@testable import Features

@Suite struct CQL2TextParserTests {
    func prop(_ name: String) -> CQL2Operand.Kind { .property(name) }

    @Test func andBindsTighterThanOr() throws {
        let e = try CQL2TextParser.parse("a = 1 OR b = 2 AND c = 3")
        guard case .or(let parts) = e, parts.count == 2, case .and(let inner) = parts[1], inner.count == 2 else {
            Issue.record("wrong tree: \(e)"); return
        }
    }

    @Test func parenthesesAndNot() throws {
        let e = try CQL2TextParser.parse("NOT (a = 1 OR b = 2)")
        guard case .not(.or) = e else { Issue.record("wrong tree: \(e)"); return }
    }

    @Test func everyPredicate() throws {
        for text in ["name LIKE '伊勢原%'", "name NOT LIKE 'x_'", "n BETWEEN 1 AND 5", "n NOT IN (1, 2, 3)", "n IS NULL", "n IS NOT NULL",
                     "d >= DATE('2023-04-01')", "t < TIMESTAMP('2026-11-20T00:10:00Z')", "ok = TRUE", "\"Name\" <> 'x'", "n >= -3.5e2",
                     "S_INTERSECTS(geometry, POLYGON((139 35, 140 35, 140 36, 139 35)))", "s_within(geometry, BBOX(139, 35, 140, 36))",
                     "S_CONTAINS(geometry, POINT(139.3 35.4))", "DWITHIN(geometry, POINT(139.31 35.40), 100, meters)", "TRUE"] {
            #expect(throws: Never.self, "\(text)") { try CQL2TextParser.parse(text) }
        }
    }

    @Test func stringsEscapeQuotesByDoubling() throws {
        guard case .comparison(.eq, _, let v) = try CQL2TextParser.parse("name = 'it''s'"), case .string("it's") = v.kind else {
            Issue.record("quote not unescaped"); return
        }
    }

    @Test(arguments: [
        ("name = 'open", "8", "never closed"),
        ("name =", "7", "expected a value or a property, found end of input"),
        ("name = 1 2", "10", "unexpected 2.0 after the end of the filter"),
        ("FOO(geometry, 1)", "4", "expected a comparison"),
        ("n BETWEEN 1 5", "13", "expected AND"),
        ("a = 1 AND", "10", "expected a value or a property, found end of input"),
        ("a # 1", "3", "unexpected character '#'"),
    ])
    func errorsSayWhereAndWhat(text: String, position: String, message: String) {
        do { _ = try CQL2TextParser.parse(text); Issue.record("\(text) parsed") } catch let e as FilterError {
            #expect(e.position == position, "\(text): \(e)")
            #expect(e.message.contains(message), "\(text): \(e)")
        } catch { Issue.record("\(error)") }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let text = String(repeating: "(", count: 10_000) + "a = 1" + String(repeating: ")", count: 10_000)
        #expect(throws: FilterError.self) { try CQL2TextParser.parse(text) }
        #expect(throws: FilterError.self) { try CQL2TextParser.parse(String(repeating: "NOT ", count: 5_000) + "a = 1") }
    }

    @Test func hugeFiltersAreRefused() {
        #expect(throws: FilterError.self) { try CQL2TextParser.parse("a = '" + String(repeating: "x", count: 1 << 20) + "'") }
    }

    /// Found by hard/hostile.sh: 10,000 conditions in one AND passed the parser, and SQLite refused
    /// the compiled expression ("Expression tree is too large") with a 500.
    @Test func tooManyConditionsAreRefusedBeforeSQLiteSeesThem() throws {
        let limit = CQL2Limits.maxConditions
        _ = try CQL2TextParser.parse(Array(repeating: "a = 1", count: limit).joined(separator: " AND "))
        #expect(throws: FilterError.self) { try CQL2TextParser.parse(Array(repeating: "a = 1", count: limit + 1).joined(separator: " OR ")) }
        #expect(throws: FilterError.self) {
            try CQL2JSONParser.parse(#"{"op":"and","args":["# + Array(repeating: "true", count: 10_000).joined(separator: ",") + "]}")
        }
    }

    /// 10,000 levels of nesting are an error, not a stack overflow, in both encodings.
    @Test func deepNestingIsAnErrorNotAStackOverflow() {
        let deep = 10_000
        #expect(throws: FilterError.self) { try CQL2TextParser.parse(String(repeating: "(", count: deep) + "a = 1" + String(repeating: ")", count: deep)) }
        #expect(throws: FilterError.self) { try CQL2TextParser.parse(String(repeating: "NOT ", count: deep) + "a = 1") }
        #expect(throws: FilterError.self) {
            try CQL2JSONParser.parse(String(repeating: #"{"op":"not","args":["#, count: deep) + "true" + String(repeating: "]}", count: deep))
        }
        #expect(throws: FilterError.self) { try CQL2JSONParser.parse(String(repeating: "[", count: deep) + String(repeating: "]", count: deep)) }
    }
}

@Suite struct CQL2JSONParserTests {
    @Test func parsesTheSameTreeAsText() throws {
        let json = #"{"op":"and","args":[{"op":"=","args":[{"property":"road_class"},"1級"]},{"op":">","args":[{"property":"width_m"},12]}]}"#
        guard case .and(let parts) = try CQL2JSONParser.parse(json), parts.count == 2 else { Issue.record("wrong tree"); return }
    }

    @Test func spatialAndTemporalLiterals() throws {
        let json = #"{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[139.3,35.4]}]}"#
        guard case .spatial(.intersects, _, let g) = try CQL2JSONParser.parse(json), case .geometry = g.kind else { Issue.record("wrong tree"); return }
        guard case .comparison(.gt, _, let d) = try CQL2JSONParser.parse(#"{"op":">","args":[{"property":"d"},{"date":"2023-04-01"}]}"#),
              case .date("2023-04-01") = d.kind else { Issue.record("wrong date"); return }
    }

    @Test func errorsNameTheJSONPath() {
        do { _ = try CQL2JSONParser.parse(#"{"op":"and","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"foo","args":[]}]}"#) }
        catch let e as FilterError { #expect(e.position == "/args/1/op" && e.message.contains("unknown op 'foo'")) }
        catch { Issue.record("\(error)") }
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: #"{"op":"not","args":["#, count: 500) + "true" + String(repeating: "]}", count: 500)
        #expect(throws: FilterError.self) { try CQL2JSONParser.parse(deep) }
    }
}
