import Testing

@testable import Layers

@Suite struct FieldConversionTests {
    let converter = FieldConverter(missingValues: ["", "///", "-", "欠測"])
    func field(_ type: FieldType, required: Bool = false, values: [String]? = nil) -> FieldDefinition {
        FieldDefinition(name: "f", type: type, required: required, label: LocalizedText(ja: "f"), allowedValues: values)
    }

    @Test(arguments: ["///", "-", "欠測", "", "  "])
    func missingTokensBecomeNullNeverZero(token: String) {
        #expect(converter.convert(.string(token), for: field(.real)) == .success(.null))
    }

    @Test func requiredMissingIsAProblem() {
        #expect(converter.convert(.string("///"), for: field(.real, required: true)) == .failure(.requiredMissing))
    }

    @Test func numbersAcceptFullWidthDigitsAndThousandsSeparators() {
        #expect(converter.convert(.string("１,２３４"), for: field(.integer)) == .success(.integer(1234)))
        #expect(converter.convert(.string("3.5"), for: field(.real)) == .success(.real(3.5)))
        #expect(converter.convert(.string("12.0"), for: field(.integer)) == .success(.integer(12)))
        #expect(converter.convert(.string("3.5"), for: field(.integer)) == .failure(.notAnInteger("3.5")))
        #expect(converter.convert(.string("abc"), for: field(.real)) == .failure(.notANumber("abc")))
    }

    @Test func datesAcceptTheEraCalendar() {
        #expect(converter.convert(.string("H27.4.1"), for: field(.date)) == .success(.date("2015-04-01")))
        #expect(converter.convert(.date(year: 2020, month: 1, day: 2), for: field(.date)) == .success(.date("2020-01-02")))
        #expect(converter.convert(.string("someday"), for: field(.date)) == .failure(.notADate("someday")))
    }

    @Test func dateTimesGetJSTWhenTheyHaveNoOffset() {
        #expect(converter.convert(.string("2026-11-20 00:10"), for: field(.datetime)) == .success(.datetime("2026-11-20T00:10:00+09:00")))
        #expect(converter.convert(.string("2026-11-20T00:10:00Z"), for: field(.datetime)) == .success(.datetime("2026-11-20T00:10:00+00:00")))
        #expect(converter.convert(.string("2026/11/16 09:53:00+09"), for: field(.datetime)) == .success(.datetime("2026-11-16T09:53:00+09:00")))
        #expect(converter.convert(.string("2026/11/20 24:00"), for: field(.datetime)) == .success(.datetime("2026-11-21T00:00:00+09:00")))
        #expect(converter.convert(.string("2026-11-20T25:00"), for: field(.datetime)) == .failure(.notADateTime("2026-11-20T25:00")))
    }

    @Test func booleansInJapanese() {
        #expect(converter.convert(.string("有"), for: field(.boolean)) == .success(.boolean(true)))
        #expect(converter.convert(.string("無"), for: field(.boolean)) == .success(.boolean(false)))
        #expect(converter.convert(.string("maybe"), for: field(.boolean)) == .failure(.notABoolean("maybe")))
    }

    @Test func codedFieldsRefuseOtherValues() {
        let f = field(.text, values: ["1級", "2級"])
        #expect(converter.convert(.string("1級"), for: f) == .success(.text("1級")))
        #expect(converter.convert(.string("3級"), for: f) == .failure(.notAllowed("3級", allowed: ["1級", "2級"])))
    }
}
