import Foundation

/// Runs tools outside the test process (python3, sqlite3, ogrinfo) for independent checks.
enum ExternalTools {
    /// The tool's standard output, or nil when it is missing or fails.
    static func run(_ tool: String, _ args: [String], stdin: Data? = nil) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        if stdin != nil { p.standardInput = input }
        do { try p.run() } catch { return nil }
        if let stdin { input.fileHandleForWriting.write(stdin); try? input.fileHandleForWriting.close() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// True when `python3 -c "import <module>"` works.
    static func pythonHas(_ module: String) -> Bool { run("python3", ["-c", "import \(module)"]) != nil }

    static func has(_ tool: String) -> Bool { run("which", [tool]) != nil }
}
