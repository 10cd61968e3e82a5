import Testing
@testable import Layers

@Test func LayersModuleLinks() { #expect(Bool(true)) }
