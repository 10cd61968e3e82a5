import ArgumentParser
import Foundation
import Store

/// `chizu route record`: the weight a truck actually collected on one trip of a stored plan.
struct RouteRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record the yard waste collected on one trip of a stored plan (recording again corrects it).")

    @Option(name: .long, help: "Plan id (printed by `chizu route plan`).") var plan: Int64
    @Option(name: .long, help: "Truck number, 1-based as on the route sheet.") var truck: Int
    @Option(name: .long, help: "Trip number (便), 1-based.") var trip: Int
    @Option(name: .long, help: "Weight collected (kg), as weighed at the recycling facility.") var kg: Double

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard truck > 0, trip > 0 else { throw ValidationError("--truck and --trip start at 1") }
        guard kg >= 0 else { throw ValidationError("--kg cannot be negative") }
    }

    func run() throws {
        do {
            try store.openStore().recordCollection(planId: plan, truck: truck, trip: trip, weightKg: kg)
        } catch let e as RoutePlanStoreError { printError(e.description); throw ExitCode(2) }
        print("plan \(plan), truck \(truck), trip \(trip): \(kg) kg recorded")
    }
}

/// `chizu route report`: yard waste collected per month and in the year, against the city's target.
struct RouteReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Sum the recorded yard waste per month and for the year, against the yearly target (settings).")

    @Option(name: .long, help: "Calendar year.")
    var year: Int = Calendar(identifier: .gregorian).component(.year, from: Date())

    @OptionGroup var store: StoreOptions

    func run() throws {
        let target = try store.citySettings().routing.yearlyTargetT
        let months = try store.openStore(readonly: true).monthlyCollections(year: year)
        print("month      trips   collected t")
        for m in months { print(String(format: "%@  %6d   %11.3f", m.month, m.trips, m.weightKg / 1000)) }
        let total = months.reduce(0) { $0 + $1.weightKg } / 1000
        print(String(format: "%d total: %.3f t of the %.0f t target (%.1f%%)", year, total, target, total / target * 100))
    }
}
