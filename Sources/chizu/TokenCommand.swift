import ArgumentParser
import Foundation
import Server
import Store

extension Role: ExpressibleByArgument {}

/// `chizu token`: issue, list and revoke API tokens.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue, list and revoke API tokens for departments and devices.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token. It is printed once; only its hash is stored.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "The department, e.g. sewer, sanitation, crisis_management.")
        var department: String?
        @Option(name: .long, help: "A device name instead of a department: a rain gauge's site id (G1) lets it post its own readings.")
        var device: String?
        @Option(name: .long, help: "For a gateway device: the gauges it relays, comma-separated (e.g. G1,G2).")
        var sites: String?
        @Option(name: .long, help: "reader, editor or admin.")
        var role: Role = .reader
        @Option(name: .long, help: "Expiry: a duration (30d, 12h) or a date (2027-03-31).")
        var expires: String?
        @Option(name: .long, help: "A note on who holds it.")
        var label: String?

        func validate() throws {
            if (department == nil) == (device == nil) { throw ValidationError("give --department or --device (one of them)") }
            if sites != nil && device == nil { throw ValidationError("--sites is for a gateway's --device token") }
            if let expires, Self.expiry(expires) == nil { throw ValidationError("--expires: use a duration like 30d or 12h, or a date like 2027-03-31") }
        }

        static func expiry(_ s: String, now: Date = Date()) -> Date? {
            if let unit = s.last, let n = Double(s.dropLast()), n > 0 {
                switch unit {
                case "d": return now.addingTimeInterval(n * 86400)
                case "h": return now.addingTimeInterval(n * 3600)
                default: break
                }
            }
            return try? Date(s + "T00:00:00+09:00", strategy: .iso8601)
        }

        func run() throws {
            let issued = try TokenService(store: try store.openStore())
                .create(department: department, device: device, role: role, expires: expires.flatMap { Self.expiry($0) }, label: label,
                        sites: sites.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [])
            print(issued.token)
            printError("token \(issued.record.id) for \(department ?? "device " + (device ?? "")) (\(role.rawValue))"
                       + (issued.record.expiresAt.map { ", expires \($0)" } ?? "") + ". Keep it secret: it is not stored and cannot be shown again.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var store: StoreOptions
        func run() throws {
            print("id            department/device     role    created                    expires                    status")
            for t in try store.openStore(readonly: true).tokens() {
                let who = t.department ?? "device \(t.device ?? "")"
                let status = t.revokedAt != nil ? "revoked" : (t.isActive() ? "active" : "expired")
                print("\(t.id)  \(who.padding(toLength: 20, withPad: " ", startingAt: 0))  \(t.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(t.createdAt.padding(toLength: 25, withPad: " ", startingAt: 0))  \((t.expiresAt ?? "-").padding(toLength: 25, withPad: " ", startingAt: 0))  \(status)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (the 12 characters after chz_).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The token id.") var id: String
        func run() throws {
            guard try store.openStore().revokeToken(id: id) else { printError("no token \(id)"); throw ExitCode.failure }
            print("revoked \(id)")
        }
    }
}
