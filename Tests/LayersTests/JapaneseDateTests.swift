import Testing
@testable import Layers

@Suite struct JapaneseDateTests {
    @Test(arguments: [
        ("令和5年4月1日", "2023-04-01"), ("令和元年5月1日", "2019-05-01"), ("R5.4.1", "2023-04-01"),
        ("H27.4.1", "2015-04-01"), ("S50.3.31", "1975-03-31"), ("平成31年4月30日", "2019-04-30"),
        ("Ｈ２７．４．１", "2015-04-01"), ("2023-04-01", "2023-04-01"), ("2023/4/1", "2023-04-01"),
        ("2023年4月1日", "2023-04-01"), ("20230401", "2023-04-01"), ("1998/04/01", "1998-04-01"),
        ("H12/3/31", "2000-03-31"), ("2024-02-29", "2024-02-29"),
    ])
    func parsesEraAndWesternDates(input: String, iso: String) {
        #expect(JapaneseDate.parse(input) == iso)
    }

    @Test(arguments: ["", "令和5年2月30日", "2023-13-01", "H32.1.1", "令和1年4月30日", "X5.4.1", "2023/4-1", "yesterday", "S0.1.1",
                             "2023-02-29", "0999-01-01", "2023-00-10", "2023-1a-01"])
    func rejectsWhatIsNotADate(input: String) {
        #expect(JapaneseDate.parse(input) == nil)
    }

    @Test func trimmingWhitespaceTakesIdeographicSpacesTabsAndLineBreaks() {
        #expect("\u{3000} 県道\t\r\n".trimmingWhitespace() == "県道")
        #expect("a b".trimmingWhitespace() == "a b")
        #expect(" \u{3000} ".trimmingWhitespace() == "")
        #expect("".trimmingWhitespace() == "")
        #expect("x"[...].trimmingWhitespace() == "x")
    }

    @Test func zeroPaddingMatchesPrintf() {
        #expect(zeroPadded(7, 2) == "07" && zeroPadded(2023, 4) == "2023" && zeroPadded(12345, 4) == "12345" && zeroPadded(-5, 3) == "-005")
    }
}
