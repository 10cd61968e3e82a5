/// Who is asking: the public, a department's staff member, an administrator, or a sensor device.
public struct Caller: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case anonymous, department, admin, device
    }
    public var kind: Kind
    /// The department for `.department` callers (and an admin's own department, if any).
    public var department: String?
    /// May write (ingest, readings) to the layers it can see.
    public var canEdit: Bool
    /// The token id, for the audit log.
    public var tokenId: String?
    /// The device name for sensor tokens.
    public var device: String?
    /// For a gateway device, the sites it relays.
    public var deviceSites: [String]

    public init(kind: Kind, department: String? = nil, canEdit: Bool = false, tokenId: String? = nil, device: String? = nil,
                deviceSites: [String] = []) {
        self.kind = kind; self.department = department; self.canEdit = canEdit; self.tokenId = tokenId; self.device = device
        self.deviceSites = deviceSites
    }

    /// True when this caller may post readings for `site` of `layer`: a device for its own gauge (its
    /// name) or the gauges its gateway token lists; an editor or admin token of the layer's department;
    /// an administrator. Readers and the public never.
    public func mayPostReadings(site: String, of layer: LayerDefinition) -> Bool {
        switch kind {
        case .device: return device == site || deviceSites.contains(site)
        case .admin: return true
        case .department: return canEdit && department == layer.department
        case .anonymous: return false
        }
    }

    /// The public.
    public static let anonymous = Caller(kind: .anonymous)

    public var isAnonymous: Bool { kind == .anonymous }

    public var description: String {
        switch kind {
        case .anonymous: "anonymous"
        case .department: "department \(department ?? "?")"
        case .admin: "admin"
        case .device: "device \(device ?? "?")"
        }
    }
}

extension LayerDefinition {
    /// True when the caller may see this layer at all. Internal layers do not exist for anyone else.
    public func isVisible(to caller: Caller) -> Bool {
        access == .public || seesInternal(caller)
    }

    /// True when the caller sees the layer's internal layer/fields: its own department, a department
    /// it is shared with, or an administrator.
    public func seesInternal(_ caller: Caller) -> Bool {
        switch caller.kind {
        case .admin: return true
        case .department:
            guard let d = caller.department else { return false }
            return d == department || sharedWith.contains(d)
        case .anonymous, .device: return false
        }
    }

    /// The fields this caller may see, in definition order.
    public func fields(for caller: Caller) -> [FieldDefinition] {
        visibleFields(includeInternal: seesInternal(caller))
    }
}
