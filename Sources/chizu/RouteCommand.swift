import ArgumentParser

/// `chizu route`: yard-waste collection runs over the road network.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Plan yard-waste (草木類) collection runs over the road network.",
        subcommands: [RoutePlanCommand.self, RouteExportCommand.self, RouteRecordCommand.self, RouteReportCommand.self, RouteBenchCommand.self, RouteMatrixBenchCommand.self])
}
