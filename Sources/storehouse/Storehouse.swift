import ArgumentParser

/// The `storehouse` command: one binary for loading, transforming and serving store data.
@main
struct Storehouse: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "storehouse",
        abstract: "An e-commerce analytics platform: store data in, trusted marts out.",
        version: "storehouse \(version)",
        subcommands: [
            DemoCommand.self,
            DepsCommand.self,
            GenerateCommand.self,
            IngestCommand.self,
            QueryCommand.self,
            BuildCommand.self,
            RunModelsCommand.self,
            TestCommand.self,
            SeedCommand.self,
            SnapshotCommand.self,
            SourceCommand.self,
            DocsCommand.self,
            LineageCommand.self,
            ProfileCommand.self,
            ExpectationsCommand.self,
            CompileCommand.self,
            ListCommand.self,
            MetricsCommand.self,
            ExportCommand.self,
            MLCommand.self,
            ServeCommand.self,
            JobsCommand.self,
            BackfillCommand.self,
            RunsCommand.self,
        ]
    )
}
