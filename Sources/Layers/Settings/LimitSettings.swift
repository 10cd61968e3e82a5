import Foundation

/// What the server lets one request or one client take (`limits:` in settings.yaml). The defaults
/// leave room for a day of readings from every gauge in one POST and for a map page's burst of tiles.
public struct LimitSettings: Sendable, Codable, Equatable {
    /// Largest request body, bytes; a larger one is refused with 413 before it is read.
    public var maxBodyBytes: Int
    /// Largest request head (all header names and values together), bytes; larger gets 431.
    public var maxHeaderBytes: Int
    /// Anonymous requests a client address may make per second, sustained (0: no rate limit).
    public var anonymousRatePerSecond: Double
    /// Anonymous requests a client address may make at once before the rate applies.
    public var anonymousBurst: Int
    /// Client addresses (or CIDR ranges) never rate limited: by default this machine itself.
    public var rateLimitExempt: [String]
    /// Reverse proxies whose `X-Forwarded-For` names the real client (addresses or CIDR ranges).
    public var trustedProxies: [String]
    /// Seconds a connection may stay open without sending a request (or the rest of its head).
    public var idleTimeoutSeconds: Double
    /// Seconds a request may take to arrive and be answered (streams excepted) before 408/503.
    public var requestTimeoutSeconds: Double
    /// Seconds a request body may go without a byte arriving before 408 (a client that promised more
    /// than it sends, or went away mid-upload).
    public var bodyStallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case maxBodyBytes = "max_body_bytes", maxHeaderBytes = "max_header_bytes"
        case anonymousRatePerSecond = "anonymous_rate_per_s", anonymousBurst = "anonymous_burst"
        case rateLimitExempt = "rate_limit_exempt", trustedProxies = "trusted_proxies"
        case idleTimeoutSeconds = "idle_timeout_s", requestTimeoutSeconds = "request_timeout_s"
        case bodyStallSeconds = "body_stall_timeout_s"
    }

    public init(maxBodyBytes: Int = 4 << 20, maxHeaderBytes: Int = 16 << 10, anonymousRatePerSecond: Double = 50,
                anonymousBurst: Int = 200, rateLimitExempt: [String] = ["127.0.0.1", "::1"],
                trustedProxies: [String] = ["127.0.0.1", "::1"], idleTimeoutSeconds: Double = 30, requestTimeoutSeconds: Double = 60,
                bodyStallSeconds: Double = 10) {
        self.maxBodyBytes = maxBodyBytes; self.maxHeaderBytes = maxHeaderBytes
        self.anonymousRatePerSecond = anonymousRatePerSecond; self.anonymousBurst = anonymousBurst
        self.rateLimitExempt = rateLimitExempt; self.trustedProxies = trustedProxies
        self.idleTimeoutSeconds = idleTimeoutSeconds; self.requestTimeoutSeconds = requestTimeoutSeconds
        self.bodyStallSeconds = bodyStallSeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LimitSettings()
        maxBodyBytes = try c.value(.maxBodyBytes, or: d.maxBodyBytes)
        maxHeaderBytes = try c.value(.maxHeaderBytes, or: d.maxHeaderBytes)
        anonymousRatePerSecond = try c.value(.anonymousRatePerSecond, or: d.anonymousRatePerSecond)
        anonymousBurst = try c.value(.anonymousBurst, or: d.anonymousBurst)
        rateLimitExempt = try c.value(.rateLimitExempt, or: d.rateLimitExempt)
        trustedProxies = try c.value(.trustedProxies, or: d.trustedProxies)
        idleTimeoutSeconds = try c.value(.idleTimeoutSeconds, or: d.idleTimeoutSeconds)
        requestTimeoutSeconds = try c.value(.requestTimeoutSeconds, or: d.requestTimeoutSeconds)
        bodyStallSeconds = try c.value(.bodyStallSeconds, or: d.bodyStallSeconds)
        for (key, v) in [(CodingKeys.maxBodyBytes, Double(maxBodyBytes)), (.maxHeaderBytes, Double(maxHeaderBytes)),
                         (.idleTimeoutSeconds, idleTimeoutSeconds), (.requestTimeoutSeconds, requestTimeoutSeconds),
                         (.bodyStallSeconds, bodyStallSeconds)] where !(v > 0) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must be greater than 0")
        }
        if anonymousRatePerSecond < 0 || anonymousBurst < 1 {
            throw DecodingError.dataCorruptedError(forKey: .anonymousBurst, in: c,
                                                   debugDescription: "anonymous_rate_per_s must be ≥ 0 and anonymous_burst ≥ 1")
        }
    }
}
