import Features

/// libFuzzer entry: any bytes as a CQL2 text filter. Errors are fine; a trap, a hang or a stack
/// overflow is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCQL2Text(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? CQL2TextParser.parse(text)
    return 0
}
