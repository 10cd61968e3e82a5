/// Summary of a sequence of visits that concatenates in O(1) (Vidal et al. 2013, "A hybrid genetic algorithm
/// with adaptive diversity management…", time-window segments): duration, lateness and the start interval.
struct TimeSegment: Sendable {
    /// First and last location of the sequence (indices into the matrices in use).
    var first: Int32
    var last: Int32
    /// Number of clients in the sequence (depot visits do not count).
    var clients: Int32
    /// Travel + service + waiting time, when started within [earliest, latest].
    var duration: Double
    /// Total lateness ("time warp") that cannot be avoided.
    var timeWarp: Double
    /// Earliest start at the first location for minimal duration.
    var earliest: Double
    /// Latest start at the first location without extra time warp.
    var latest: Double
    /// Distance driven inside the sequence.
    var distance: Double
    /// Load collected.
    var load: Double

    /// A single visit.
    static func node(location: Int, service: Double, window: TimeWindow?, load: Double, isClient: Bool = false)
        -> TimeSegment
    {
        TimeSegment(first: Int32(location), last: Int32(location), clients: isClient ? 1 : 0, duration: service,
                    timeWarp: 0, earliest: window?.earliest ?? -Double.infinity,
                    latest: window?.latest ?? Double.infinity, distance: 0, load: load)
    }

    /// This sequence followed by `next`, given the travel time and distance between them.
    @inline(__always)
    func then(_ next: TimeSegment, time: Double, distance arc: Double) -> TimeSegment {
        let delta = duration - timeWarp + time
        let wait = max(next.earliest - delta - latest, 0)
        let warp = max(earliest + delta - next.latest, 0)
        return TimeSegment(
            first: first, last: next.last, clients: clients + next.clients,
            duration: duration + next.duration + time + wait,
            timeWarp: timeWarp + next.timeWarp + warp,
            earliest: max(next.earliest - delta, earliest) - wait,
            latest: min(next.latest - delta, latest) + warp,
            distance: distance + next.distance + arc,
            load: load + next.load)
    }
}
