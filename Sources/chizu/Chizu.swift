import ArgumentParser

@main
struct Chizu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chizu",
        abstract: "Chizu (地図): a city's public and integrated GIS.",
        subcommands: [LayersCommand.self, SampleCommand.self, DBCommand.self, IngestCommand.self, ServeCommand.self,
                      TokenCommand.self, TilesCommand.self, RainCommand.self, RouteCommand.self])
}
