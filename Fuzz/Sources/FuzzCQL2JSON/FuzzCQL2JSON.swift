import Features

/// libFuzzer entry: any bytes as a CQL2 JSON filter (`filter-lang=cql2-json`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCQL2JSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? CQL2JSONParser.parse(text)
    return 0
}
