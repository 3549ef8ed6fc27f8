import ArgumentParser
import Foundation
import Learning
import LearningRuntime
import Orchestrator
import TransformProject
import WarehouseKit

/// `storehouse ml …`: the project's models (declared in ml.yml) trained, scored and listed
/// against the project's warehouse.
struct MLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml",
        abstract: "Train, score and list the machine-learning models the project declares in ml.yml.",
        subcommands: [MLTrainCommand.self, MLScoreCommand.self, MLBuildCommand.self, MLModelsCommand.self, MLShowCommand.self])
}

/// The project, its ml.yml and its warehouse, opened for one ml command.
struct MLProjectOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions

    /// Runs `body` with the project's model tasks; every failure is one message and exit code 2.
    /// A command that writes (`handOff` set) while `storehouse serve` owns the warehouse runs as a
    /// one-step run in the server instead, its log streamed here.
    func withTasks(handOff: (kinds: [StepKind], models: [String])? = nil, _ body: (ModelTasks) async throws -> Void) async throws {
        let loaded: LoadedProject
        let file: MLProjectFile
        do {
            loaded = try project.load()
            guard let found = try MLProjectFile.load(projectRoot: loaded.manifest.projectRoot) else {
                throw CLIError("\(loaded.manifest.projectRoot)/\(MLProjectFile.fileName) does not exist: the project declares no models",
                               hint: "declare models in ml.yml (see the README's Machine learning section)")
            }
            file = found
        } catch { throw ProjectCommandFailure.report(error) }
        if let handOff, let server = ServerHandOff.runningServer(for: loaded) {
            let verb = handOff.kinds == [.mlTrain] ? "train" : handOff.kinds == [.mlScore] ? "score" : "build"
            try await ServerHandOff.runSteps(handOff.kinds.map { ($0, handOff.models.isEmpty ? [:] : ["models": handOff.models]) }, vars: nil,
                                             on: server, what: "storehouse ml \(verb)")
            return
        }
        if handOff == nil, loaded.manifest.target.type == "duckdb", let server = ServerHandOff.runningServer(for: loaded) {
            // DuckDB lets the server's process alone open the file; the same figures are on its pages.
            throw ServerHandOff.refusal(by: server, "this command cannot open it",
                hint: "see the models at \(server.url)/ml, or stop serve and run the command again")
        }
        let warehouse: any Warehouse
        do {
            // One DuckDB thread a query: the models already run side by side, one per core, and
            // idle DuckDB workers waiting for tasks took CPU from them (ml build at scale 1.0,
            // alternating runs: 1.06 s wall, 1.72 s CPU against 1.14 s, 1.88 s with the default).
            warehouse = try await WarehouseLocation(target: loaded.manifest.target).open(duckdbThreads: 1)
        } catch { throw ProjectCommandFailure.report(error) }
        let tasks = ModelTasks(project: file, manifest: loaded.manifest, warehouse: warehouse)
        do {
            try await body(tasks)
            await warehouse.close()
        } catch let error as ExitCode {
            await warehouse.close()
            throw error
        } catch {
            await warehouse.close()
            throw ProjectCommandFailure.report(error)
        }
    }
}

struct MLTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit models on their training window, judge them on the later validation window, and keep each as a new version.",
        discussion: """
            A new version is promoted (used by `ml score` and the server) unless its validation figure falls behind the \
            accepted version's by more than ml.yml's promotion_margin; either way it is recorded in ml.model_versions.
            """)

    @Argument(help: "Models to train (default: every model in ml.yml).")
    var models: [String] = []

    @OptionGroup var options: MLProjectOptions

    func run() async throws {
        try await options.withTasks(handOff: ([.mlTrain], models)) { tasks in
            try report(await tasks.train(try tasks.selected(models), now: Date()), MLReport.trained)
        }
    }
}

struct MLScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score the current rows with each model's accepted version and replace its table in schema ml.")

    @Argument(help: "Models to score (default: every model in ml.yml).")
    var models: [String] = []

    @OptionGroup var options: MLProjectOptions

    func run() async throws {
        try await options.withTasks(handOff: ([.mlScore], models)) { tasks in
            try report(await tasks.score(try tasks.selected(models), now: Date()), MLReport.scored)
        }
    }
}

struct MLBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Train each model, then score with its accepted version: ml train and ml score in one command.",
        discussion: """
            As `storehouse build` runs and tests, `ml build` trains and scores: a model whose new version is not promoted \
            scores with the version that stays; a model that fails to train keeps its old scores.
            """)

    @Argument(help: "Models to build (default: every model in ml.yml).")
    var models: [String] = []

    @OptionGroup var options: MLProjectOptions

    func run() async throws {
        try await options.withTasks(handOff: ([.mlTrain, .mlScore], models)) { tasks in
            try report(await tasks.build(try tasks.selected(models), now: Date())) {
                MLReport.trained($0.trained) + "\n" + MLReport.scored($0.scored)
            }
        }
    }
}

/// Prints each model's report in ml.yml's order, then each failure; exit code 2 if any failed.
private func report<Value>(_ outcomes: [ModelTasks.Outcome<Value>], _ text: (Value) -> String) throws {
    var failures: [any Error] = []
    for outcome in outcomes {
        switch outcome.result {
        case .success(let value): print(text(value))
        case .failure(let error): failures.append(error)
        }
    }
    for error in failures { _ = ProjectCommandFailure.report(error) }
    if !failures.isEmpty { throw ExitCode(2) }
}

struct MLModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the declared models and every trained version, the accepted one marked.")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: [.short, .long], help: "Output format (text, json).")
    var format: OutputFormat = .text

    @OptionGroup var options: MLProjectOptions

    func run() async throws {
        try await options.withTasks { tasks in
            let versions = try await tasks.warehouse.read { try await ModelRegistry.versions(of: nil, on: $0) }
            switch format {
            case .json: print(try MLReport.json(tasks.project, versions: versions))
            case .text: print(MLReport.table(tasks.project, versions: versions))
            }
        }
    }
}

struct MLShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one trained version: validation figures, calibration and every coefficient (JSON: the whole artefact).")

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The model's name in ml.yml.")
    var model: String

    @Option(help: "The version to show (default: the accepted one).")
    var version: Int?

    @Option(name: [.short, .long], help: "Output format (text, json).")
    var format: OutputFormat = .text

    @OptionGroup var options: MLProjectOptions

    func run() async throws {
        try await options.withTasks { tasks in
            _ = try tasks.project.model(named: model)
            guard let trained = try await tasks.warehouse.read({ try await ModelRegistry.load(model, version: version, on: $0) }) else {
                throw CLIError("model \(model) has no \(version.map { "version \($0)" } ?? "accepted version")",
                               hint: "storehouse ml models lists the trained versions; storehouse ml train \(model) makes one")
            }
            switch format {
            case .json: print(String(decoding: try MLReport.artefactJSON(trained), as: UTF8.self))
            case .text: print(MLReport.details(trained))
            }
        }
    }
}
