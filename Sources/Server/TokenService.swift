import Crypto
import Foundation
import Layers
import Store

/// Issues and checks API tokens. A token reads `chz_<id>_<secret>`: the id finds the record, the
/// 256-bit secret is checked against its stored SHA-256 in constant time. Secrets are never stored.
public struct TokenService: Sendable {
    public let store: SpatialStore
    public init(store: SpatialStore) { self.store = store }

    /// A newly issued token: the full text is shown once, to whoever created it.
    public struct Issued: Sendable {
        public let token: String
        public let record: TokenRecord
    }

    /// Creates a token for a department (or a device) with a role and an optional expiry.
    public func create(department: String?, device: String? = nil, role: Role, expires: Date? = nil,
                       label: String? = nil, sites: [String] = []) throws -> Issued {
        var rng = SystemRandomNumberGenerator()   // getrandom(2): cryptographically secure
        let id = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        let secretBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let record = TokenRecord(id: id, department: department, device: device, role: role, label: label,
                                 createdAt: Date().formatted(.iso8601), expiresAt: expires?.formatted(.iso8601),
                                 revokedAt: nil, secretHash: Self.hash(secret), sites: sites)
        try store.insertToken(record)
        return Issued(token: "chz_\(id)_\(secret)", record: record)
    }

    /// Why a presented token was refused.
    public enum Refusal: Error, Sendable, Equatable { case malformed, unknown, revoked, expired }

    /// The caller a token stands for, or why it is refused.
    public func caller(for token: String, now: Date = Date()) throws -> Result<Caller, Refusal> {
        let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "chz", parts[1].count == 12, !parts[2].isEmpty, parts[2].count < 128 else {
            return .failure(.malformed)
        }
        guard let record = try store.token(id: String(parts[1])) else {
            _ = Self.constantTimeEqual(Self.hash(String(parts[2])), Self.hash(""))   // same work as a real check
            return .failure(.unknown)
        }
        guard Self.constantTimeEqual(Self.hash(String(parts[2])), record.secretHash) else { return .failure(.unknown) }
        if record.revokedAt != nil { return .failure(.revoked) }
        if !record.isActive(at: now) { return .failure(.expired) }
        let caller: Caller
        if let device = record.device {
            caller = Caller(kind: .device, department: record.department, canEdit: true, tokenId: record.id, device: device,
                            deviceSites: record.sites)
        } else if record.role == .admin {
            caller = Caller(kind: .admin, department: record.department, canEdit: true, tokenId: record.id)
        } else {
            caller = Caller(kind: .department, department: record.department, canEdit: record.role == .editor, tokenId: record.id)
        }
        return .success(caller)
    }

    static func hash(_ secret: String) -> [UInt8] { Array(SHA256.hash(data: Data(secret.utf8))) }

    /// Compares two byte strings in time that depends only on their length.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
