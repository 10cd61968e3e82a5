import Testing
import Layers
@testable import Ingest

@Suite struct TextDecodingTests {
    /// 伊勢原 in CP932.
    static let iseharaCP932: [UInt8] = [0x88, 0xC9, 0x90, 0xA8, 0x8C, 0xB4]

    @Test func decodesCP932() throws {
        #expect(try TextDecoder.decode(Self.iseharaCP932, as: .cp932).0 == "伊勢原")
    }

    @Test func decodesCP932Extensions() throws {
        // ① (NEC special) and ㈱ exist in CP932 but not in plain Shift_JIS.
        #expect(try TextDecoder.decode([0x87, 0x40, 0x87, 0x8A], as: .cp932).0 == "①㈱")
    }

    @Test func autoDetectsBOMThenUTF8ThenCP932() throws {
        let utf8 = Array("伊勢原".utf8)
        #expect(try TextDecoder.decode([0xEF, 0xBB, 0xBF] + utf8, as: .auto) == ("伊勢原", .utf8))
        #expect(try TextDecoder.decode(utf8, as: .auto) == ("伊勢原", .utf8))
        #expect(try TextDecoder.decode(Self.iseharaCP932, as: .auto) == ("伊勢原", .cp932))
    }

    @Test func declaredUTF8WithCP932BytesFailsWithTheOffset() {
        #expect(throws: DecodingFailure(offset: 2, encoding: "UTF-8")) {
            try TextDecoder.decode([0x41, 0x42] + Self.iseharaCP932, as: .utf8)
        }
    }

    @Test func undecodableCP932IsAnErrorNotMojibake() {
        #expect(throws: DecodingFailure.self) { try TextDecoder.decode([0x41, 0x81], as: .cp932) }
    }

    @Test func asciiIsTheSameTextInEveryEncoding() throws {
        #expect(try TextDecoder.decode(Array("R-12 4.5".utf8), as: .cp932) == ("R-12 4.5", .cp932))
        #expect(try TextDecoder.decode(Array("R-12".utf8), as: .auto) == ("R-12", .utf8))
        #expect(try TextDecoder.decode([], as: .cp932) == ("", .cp932))
    }

    @Test func pooledConvertersDecodeCorrectlyFromManyThreadsAndAfterAFailure() async throws {
        #expect(throws: DecodingFailure.self) { try TextDecoder.decode([0x88], as: .cp932) }  // a truncated lead byte
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let bytes = i % 2 == 0 ? Self.iseharaCP932 : [0x87, 0x40] + Self.iseharaCP932
                    let expected = i % 2 == 0 ? "伊勢原" : "①伊勢原"
                    return (0..<200).allSatisfy { _ in (try? TextDecoder.decode(bytes, as: .cp932).0) == expected }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
