import Foundation

/// Shared helpers for Chizu's tests.
public enum TestSupport {
    /// A fresh temporary directory, removed by the caller when done.
    public static func temporaryDirectory(_ name: String = "chizu") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The repository root (the folder holding Package.swift).
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// `../shared` beside the repository.
    public static var sharedDirectory: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }
}

extension TestSupport {
    /// Runs an installed tool (looked up in /usr/bin and /usr/local/bin) and returns its standard
    /// output, or nil when the tool is not installed.
    public static func run(_ tool: String, _ args: [String]) throws -> String? {
        let path = tool.hasPrefix("/") ? tool : ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)"].first(where: FileManager.default.isExecutableFile)
        guard let path, FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
