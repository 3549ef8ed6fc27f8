import ArgumentParser
import Foundation
import TransformProject
import TransformRuntime

/// `storehouse deps`: installs the packages of packages.yml into dbt_packages/, as `dbt deps`.
struct DepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deps",
        abstract: "Install the project's packages (packages.yml) into dbt_packages/ and pin them in package-lock.yml.",
        discussion: """
        Local packages are linked, git packages cloned at their revision (pinned to the commit in
        package-lock.yml), hub packages fetched from DBT_PACKAGE_HUB_URL (default hub.getdbt.com).
        An unchanged packages.yml installs what package-lock.yml pins; --upgrade resolves again.
        """)

    @Option(name: .long, help: "The project folder (holds dbt_project.yml and packages.yml).")
    var projectDir: String = "."

    @Flag(name: .long, help: "Resolve packages.yml again (newest commits and versions it allows) and rewrite package-lock.yml.")
    var upgrade = false

    func run() throws {
        let report: DepsReport
        do {
            report = try PackageInstaller.run(projectDir: projectDir, upgrade: upgrade) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        } catch {
            throw ProjectCommandFailure.report(error)
        }
        if report.packages.isEmpty {
            print("No packages in packages.yml or dependencies.yml; nothing to install.")
            return
        }
        if report.lockWritten { print("Wrote \(report.lockPath)") }
        for package in report.packages {
            print("Installed \(package.name) (\(package.source), \(package.version == "local" ? "linked" : package.version))")
        }
    }
}
