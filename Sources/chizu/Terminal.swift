import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Structured log lines (logfmt: `ts=… level=info msg="…" key=value`) on standard error.
struct LogfmtHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = ["ts=\(Date().formatted(.iso8601))", "level=\(event.level)", "logger=\(label)", "msg=\(Self.quote("\(event.message)"))"]
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        for (k, v) in all.sorted(by: { $0.key < $1.key }) { fields.append("\(k)=\(Self.quote("\(v)"))") }
        FileHandle.standardError.write(Data((fields.joined(separator: " ") + "\n").utf8))
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || s.isEmpty
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
    }
}

enum Terminal {
    /// True when standard error is a terminal (progress bars) rather than a log file or pipe.
    static var isInteractive: Bool { isatty(STDERR_FILENO) != 0 }

    /// Bootstraps swift-log once with the logfmt handler.
    static let bootstrapped: Void = {
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["CHIZU_LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { var h = LogfmtHandler(label: $0); h.logLevel = level; return h }
    }()

    static func logger(_ label: String) -> Logger {
        _ = bootstrapped
        return Logger(label: label)
    }
}

/// A one-line progress bar on a terminal, redrawn at most ten times a second; silent otherwise.
final class ProgressBar: Sendable {
    private let state = Mutex<(last: Double, shown: Bool)>((0, false))
    let enabled = Terminal.isInteractive

    func update(_ label: String, done: Int, total: Int) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        let draw: Bool = state.withLock { s in
            if done < total && now - s.last < 0.1 { return false }
            s.last = now; s.shown = true
            return true
        }
        guard draw else { return }
        let width = 30
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(label.padding(toLength: 40, withPad: " ", startingAt: 0)) \(bar) \(String(format: "%3.0f%%", fraction * 100)) \(done)/\(total)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled, state.withLock({ $0.shown }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        state.withLock { $0.shown = false }
    }
}

import Synchronization
