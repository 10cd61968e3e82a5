import Testing
@testable import SampleCity

@Test func SampleCityModuleLinks() { #expect(Bool(true)) }
