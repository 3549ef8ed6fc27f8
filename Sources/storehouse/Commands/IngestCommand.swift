import ArgumentParser
import Foundation
import Ingest
import Orchestrator
import TransformProject
import WarehouseKit

/// `storehouse ingest …`: loads data from outside into the warehouse — the connectors the
/// project declares in connectors.yml, or files named on the command line.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load data into the warehouse: the connectors of connectors.yml, or files named here.",
        discussion: """
            Every file is loaded whole or not at all; a load ledger (ingest.file_ledger) skips files already loaded and \
            reloads changed ones; rows that cannot be read go to ingest.quarantine; every run is a row of ingest.loads.
            """,
        subcommands: [IngestConnectorsCommand.self, IngestFilesCommand.self, IngestPostgresCommand.self, IngestRestCommand.self,
                      IngestStatusCommand.self],
        defaultSubcommand: IngestConnectorsCommand.self)
}

struct IngestConnectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connectors",
        abstract: "Run the connectors declared in connectors.yml (the default: `storehouse ingest [NAME…]`).")

    @Argument(help: "Connectors to run (default: every one in connectors.yml).")
    var names: [String] = []

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let loaded: LoadedProject
        let connectors: [Connector]
        do {
            loaded = try project.load()
            guard let file = try ConnectorsFile.load(projectRoot: loaded.manifest.projectRoot) else {
                throw CLIError("\(loaded.manifest.projectRoot)/\(ConnectorsFile.fileName) does not exist: the project declares no connectors",
                               hint: "declare them there (see the README's Loading data section), or load files at once with `storehouse ingest files PATH --into raw.TABLE`")
            }
            connectors = try file.selected(names)
        } catch let failure as ExitCode { throw failure } catch { throw ProjectCommandFailure.report(error) }
        if let server = ServerHandOff.runningServer(for: loaded) {
            let steps = connectors.map { [StepKind.ingest.rawValue: ["connector": $0.name]] }
            let succeeded: Bool
            do {
                succeeded = try await ServerHandOff.run(["name": "cli.ingest", "steps": steps], on: server, what: "storehouse ingest")
            } catch { throw ProjectCommandFailure.report(error) }
            if !succeeded { throw ExitCode(1) }
            return
        }
        try await IngestRunner.run(connectors, loaded: loaded)
    }
}

struct IngestFilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "Load a file, a folder or a glob of files (CSV, JSON, NDJSON, Parquet) into a table.",
        discussion: """
            The same loader as a `kind: files` connector, named `files_<schema>_<table>` in the ledger; a relative path \
            starts from the current folder, as in any command (connectors.yml's paths start from the project folder). \
            Run outside a project (no dbt_project.yml here, no --project-dir), the file goes into the warehouse --db names. Example: storehouse ingest files 'landing/orders/*.csv' --into raw.partner_orders
            """)

    @Argument(help: "A file, a folder or a glob (quote it so the shell leaves it alone).")
    var path: String

    @Option(help: "The table to load into: schema.table, or table for schema raw.")
    var into: String

    @Option(help: "csv, json, ndjson or parquet (default: from each file's extension).")
    var format: FileFormat?

    @Option(help: "CSV field delimiter (default: detected).")
    var delimiter: String?

    @Option(help: "Whether CSV files have a header line: true or false (default: detected).")
    var header: Bool?

    @Option(name: .customLong("column"), help: "A declared column type, NAME:TYPE (repeatable), e.g. --column amount:DECIMAL(12,2).")
    var columns: [String] = []

    @Option(help: "append, replace or merge (default: append).")
    var writeDisposition: WriteDisposition = .append

    @Option(help: "Primary key columns for merge, comma-separated.")
    var primaryKey: String?

    @OptionGroup var project: ProjectOptions

    /// Without a project: the warehouse the file goes into (`--db`, as `query` takes it).
    @OptionGroup var warehouse: WarehouseOptions

    func run() async throws {
        // No project here: a file goes straight into a warehouse, named by --db as `query` names it.
        // Only for the current folder: a --project-dir that names no project is the usual error.
        if project.projectDir == ".", !FileManager.default.fileExists(atPath: "dbt_project.yml") {
            let here = FileManager.default.currentDirectoryPath
            let connector: FileConnector
            do { connector = try makeConnector(projectRoot: here) } catch { throw ProjectCommandFailure.report(error) }
            if let server = GenerateCommand.servingServer(of: warehouse.resolvedPath) {
                throw ServerHandOff.refusal(by: server, "files cannot be loaded from here now",
                    hint: "declare the load in the served project's connectors.yml and run `storehouse ingest NAME`, or stop serve")
            }
            let location: WarehouseLocation
            do { location = try warehouse.location } catch { throw ProjectCommandFailure.report(error) }
            try await IngestRunner.run([.files(connector)], location: location, root: here)
            return
        }
        if warehouse.databasePath != nil {
            throw ProjectCommandFailure.report(CLIError("--db is for loading without a project; \(project.projectDir) has dbt_project.yml, whose profile names the warehouse",
                                                        hint: "leave out --db, or choose the profile's target with --target"))
        }
        let loaded: LoadedProject
        let connector: FileConnector
        do {
            loaded = try project.load()
            connector = try makeConnector(projectRoot: loaded.manifest.projectRoot)
        } catch { throw ProjectCommandFailure.report(error) }
        if let server = ServerHandOff.runningServer(for: loaded) {
            throw ServerHandOff.refusal(by: server, "files cannot be loaded from here now",
                hint: "declare the load in connectors.yml and run `storehouse ingest \(connector.name)` (it runs in the server), or stop serve")
        }
        try await IngestRunner.run([.files(connector)], loaded: loaded)
    }

    /// The connector the arguments describe. A relative path is the shell's (from the current
    /// folder); the loader reads connector paths from the project root, so it is made absolute
    /// when the two differ. The ledger still names files under the project relative to it.
    func makeConnector(projectRoot: String) throws -> FileConnector {
        guard let target = RelationName(loadTarget: into) else {
            throw CLIError("--into '\(into)' is not schema.table or table (letters, digits, _)")
        }
        var layout = CSVLayout(delimiter: delimiter == "\\t" ? "\t" : delimiter, header: header)
        layout.encoding = .utf8
        let declared = try columns.map { text -> DeclaredColumn in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let type = DeclaredColumn.canonicalType(parts[1]) else {
                throw CLIError("--column '\(text)' is not NAME:TYPE with TYPE one of \(DeclaredColumn.types.joined(separator: ", ")), DECIMAL(p,s)")
            }
            return DeclaredColumn(name: parts[0], type: type)
        }
        let key = primaryKey.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        if writeDisposition == .merge, key.isEmpty {
            throw CLIError("--write-disposition merge needs --primary-key: the columns that identify a row")
        }
        let here = FileManager.default.currentDirectoryPath
        let fromHere = path.hasPrefix("/") || URL(fileURLWithPath: here).standardizedFileURL == URL(fileURLWithPath: projectRoot).standardizedFileURL
            ? path : (here as NSString).appendingPathComponent(path)
        return FileConnector(name: "files_\(target.schema)_\(target.name)", path: fromHere, into: target, format: format, csv: layout,
                             columns: declared, disposition: writeDisposition, primaryKey: key)
    }
}

extension FileFormat: ExpressibleByArgument {}
extension NestedData: ExpressibleByArgument {}
extension WriteDisposition: ExpressibleByArgument {}

/// `storehouse ingest postgres`: tables of a PostgreSQL schema copied into the warehouse.
struct IngestPostgresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Copy tables of a PostgreSQL schema into the warehouse (raw.<table>), in one consistent snapshot.",
        discussion: """
            The same loader as a `kind: postgres` connector, named `postgres_<schema>` in ingest.loads. With --cursor-column, \
            tables that have that column load incrementally after the first time (rows at or past the saved cursor, merged \
            on the primary key). Example: storehouse ingest postgres --url postgres://shop@db/shop --schema public --cursor-column updated_at
            """)

    @Option(help: "The source database: postgres://user:password@host:5432/database (or ?host=/socket/dir).")
    var url: String

    @Option(help: "The source schema.")
    var schema: String = "public"

    @Option(name: .customLong("table"), help: "A table to copy (repeatable; default: every table of the schema).")
    var tables: [String] = []

    @Option(help: "The warehouse schema the tables land in.")
    var intoSchema: String = "raw"

    @Option(help: "A column that grows with every change (e.g. updated_at): tables with it load incrementally.")
    var cursorColumn: String?

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        if let server = ServerHandOff.runningServer(for: loaded) {
            throw ServerHandOff.refusal(by: server, "tables cannot be copied from here now",
                hint: "declare the connector in connectors.yml and run `storehouse ingest NAME` (it runs in the server), or stop serve")
        }
        let connector = PostgresConnector(name: "postgres_\(schema)", url: url, schema: schema, tables: tables, intoSchema: intoSchema,
                                          cursorColumn: cursorColumn)
        try await IngestRunner.run([.postgres(connector)], loaded: loaded)
    }
}

/// `storehouse ingest rest --preset dummyjson`: a preset API's resources into raw.<preset>_<resource>.
struct IngestRestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rest",
        abstract: "Load a preset API's resources (dummyjson, fakestore, stripe) into raw.<preset>_<resource>.",
        discussion: """
            Pages are fetched with retries (429 after Retry-After, 5xx, timeouts, dropped connections, malformed pages) and \
            written in one transaction per resource, merged on id. Stripe reads its key from $STRIPE_API_KEY and loads \
            incrementally by created[gte]. Example: storehouse ingest rest --preset dummyjson --resource products
            """)

    @Option(help: "dummyjson, fakestore or stripe.")
    var preset: String

    @Option(help: "The API's base URL (default: the preset's public one).")
    var baseURL: String?

    @Option(name: .customLong("resource"), help: "A resource to load (repeatable; default: the preset's all).")
    var resources: [String] = []

    @Option(help: "Requests in flight at once where the pages are known from the first (1 to 32).")
    var concurrency: Int = 4

    @Option(help: "Where the records' lists go: json (columns of the record's row) or tables (child tables <table>__<field>).")
    var nested: NestedData = .json

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        guard let known = RestPreset(rawValue: preset) else {
            throw ProjectCommandFailure.report(CLIError("--preset '\(preset)' is not one of \(RestPreset.allCases.map(\.rawValue).joined(separator: ", "))",
                                                        hint: "for another API, declare a kind: rest connector in connectors.yml"))
        }
        if let server = ServerHandOff.runningServer(for: loaded) {
            throw ServerHandOff.refusal(by: server, "the API cannot be loaded from here now",
                hint: "declare the connector in connectors.yml and run `storehouse ingest NAME` (it runs in the server), or stop serve")
        }
        let chosen = resources.isEmpty ? known.resources : resources
        guard (1...32).contains(concurrency) else {
            throw ProjectCommandFailure.report(CLIError("--concurrency \(concurrency) is not between 1 and 32"))
        }
        try await IngestRunner.run(chosen.map { resource in
            var connector = known.connector(resource: resource, baseURL: baseURL)
            connector.concurrency = concurrency
            connector.nested = nested
            return .rest(connector)
        }, loaded: loaded)
    }
}

/// `storehouse ingest status`: each connector's last load, what its ledger and cursor hold, and
/// how many rows wait in quarantine — from the ingest tables in the warehouse.
struct IngestStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each connector's last load, its loaded files or cursor, and its quarantined rows.")

    @OptionGroup var project: ProjectOptions

    func run() async throws {
        let loaded: LoadedProject
        do { loaded = try project.load() } catch { throw ProjectCommandFailure.report(error) }
        if loaded.manifest.target.type == "duckdb", let server = ServerHandOff.runningServer(for: loaded) {
            throw ServerHandOff.refusal(by: server, "this command cannot open it",
                hint: "see the loads at \(server.url)/runs, or query ingest.loads in the SQL explorer")
        }
        let warehouse: any Warehouse
        do { warehouse = try await WarehouseLocation(target: loaded.manifest.target).open() } catch { throw ProjectCommandFailure.report(error) }
        do {
            let rows = try await warehouse.read { db -> [[WarehouseValue]] in
                guard try await db.relationKind(IngestCatalog.loads) != nil else { return [] }
                return try await db.query("""
                    with last as (
                        select *, row_number() over (partition by connector order by started_at desc) as n from \(IngestCatalog.loads)
                    )
                    select l.connector, l.kind, l.target, l.status, substr(cast(l.finished_at as varchar), 1, 19), l.rows_loaded,
                           (select count(*) from \(IngestCatalog.ledger) f where f.connector = l.connector),
                           (select string_agg(source_table || ' ' || cursor_column || ' = ' || value, '; ') from \(IngestCatalog.cursors) c where c.connector = l.connector),
                           (select count(*) from \(IngestCatalog.quarantine) q where q.connector = l.connector),
                           (select count(*) from \(IngestCatalog.loads) a where a.connector = l.connector), l.error
                    from last l where n = 1 order by l.connector
                    """).rows
            }
            await warehouse.close()
            guard !rows.isEmpty else {
                print("no loads yet: storehouse ingest runs the connectors of connectors.yml")
                return
            }
            for row in rows {
                let text = row.map { $0.isNull ? "" : $0.description }
                var line = "\(text[0]) (\(text[1]) → \(text[2])): last load \(text[3]) at \(text[4]) UTC, \(text[5]) rows; \(text[9]) loads in all"
                if text[1] == "files" { line += "; \(text[6]) files in the ledger" }
                if !text[7].isEmpty { line += "; cursor \(text[7])" }
                if text[8] != "0" { line += "; \(text[8]) rows in quarantine (ingest.quarantine)" }
                if !text[10].isEmpty { line += "\n  error: \(text[10])" }
                print(line)
            }
        } catch {
            await warehouse.close()
            throw ProjectCommandFailure.report(error)
        }
    }
}

/// Runs connectors against the project's warehouse from the command line, printing each file or
/// table as it is done; exits 1 when a load failed or left files unloaded, 2 when it could not start.
enum IngestRunner {
    static func run(_ connectors: [Connector], loaded: LoadedProject) async throws {
        let location: WarehouseLocation
        do { location = try WarehouseLocation(target: loaded.manifest.target) } catch { throw ProjectCommandFailure.report(error) }
        try await run(connectors, location: location, root: loaded.manifest.projectRoot)
    }

    /// The connectors into the warehouse at `location`; relative paths start at `root`.
    static func run(_ connectors: [Connector], location: WarehouseLocation, root: String) async throws {
        let warehouse: any Warehouse
        do {
            warehouse = try await location.open()
        } catch { throw ProjectCommandFailure.report(error) }
        var failed = false
        for connector in connectors {
            do {
                let report = try await load(connector, into: warehouse, root: root) { line in
                    print(line)
                    fflush(nil)
                }
                print(IngestReport.summary(report))
                if report.status != .succeeded { failed = true }
            } catch {
                await warehouse.close()
                throw ProjectCommandFailure.report(error)
            }
        }
        await warehouse.close()
        if failed { throw ExitCode(1) }
    }

    /// One connector of either kind, each file or table told to `say` as it is done; shared by
    /// the CLI and the jobs' ingest step.
    static func load(_ connector: Connector, into warehouse: any Warehouse, root: String,
                     say: @escaping @Sendable (String) -> Void) async throws -> LoadReport
    {
        switch connector {
        case .files(let files):
            say("\(files.name): \(files.path) → \(files.into) (\(files.disposition.rawValue))")
            return try await FileLoader(warehouse: warehouse, root: root).load(files) { say(IngestReport.line($0)) }
        case .rest(let rest):
            say("\(rest.name): \(rest.baseURL)/\(rest.resource) → \(rest.into) (\(rest.disposition.rawValue))")
            var loader = RestLoader(warehouse: warehouse)
            loader.scratchFolder = RestConnector.scratchFolder(projectRoot: root)
            return try await loader.load(rest, progress: say)
        case .postgres(let postgres):
            let url = try postgres.resolvedURL()
            say("\(postgres.name): \(WarehouseLocation.redacted(url)) schema \(postgres.schema) → \(postgres.intoSchema).*")
            guard case .postgres = try WarehouseLocation(parsing: url) else {
                throw CLIError("\(postgres.location): connector \(postgres.name)'s url is not a postgres:// URL")
            }
            let source = try await WarehouseLocation(parsing: url).open()
            do {
                let report = try await PostgresLoader(source: source, target: warehouse).load(postgres) { say(IngestReport.line($0)) }
                await source.close()
                return report
            } catch {
                await source.close()
                throw error
            }
        }
    }
}
