import ArgumentParser
import Foundation
import LineageKit

struct ProbesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probes",
        abstract: "List the probe sets found, or show one set's probes.",
        subcommands: [ListProbeSets.self, ShowProbeSet.self]
    )

    struct ListProbeSets: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Every probe set in the search roots: name, probe count, categories, SHA-256, panel."
        )

        @Flag(help: "Print one JSON document on stdout.")
        var json = false

        func run() throws {
            let sets = ProbeSetCatalog.list()
            if json {
                print(try JSONOutput.string(sets))
                return
            }
            if sets.isEmpty { say("no probe sets found in \(ProbeSet.searchRoots().joined(separator: ", "))") }
            for set in sets {
                if let error = set.error {
                    say("\(set.name)  (\(set.directory)) unreadable: \(error)")
                    continue
                }
                say("\(set.name)  \(set.probes) probes  sha256 \(set.sha256)  panel: \(set.hasPanel ? "yes" : "no")  (\(set.directory))")
                say("  categories: " + set.categories.map { "\($0.category) (\($0.probes))" }.joined(separator: ", "))
            }
        }
    }

    struct ShowProbeSet: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print each probe of a set.")

        @Argument(help: "Probe set name or path.")
        var set: String

        @Flag(help: "Print one JSON document on stdout.")
        var json = false

        func run() throws {
            let probeSet = try ProbeSet.resolve(set)
            if json {
                print(try JSONOutput.string(ProbeSetDocument(name: probeSet.name, sha256: probeSet.sha256,
                                                             path: probeSet.path, probes: probeSet.probes)))
                return
            }
            say("probe set \(probeSet.name): \(probeSet.probes.count) probes, sha256 \(probeSet.sha256) (\(probeSet.path))")
            for probe in probeSet.probes {
                say("")
                say("\(probe.id) [\(probe.category)] \(probe.purpose)")
                if let system = probe.system { say("  system: \(system)") }
                say("  " + probe.prompt.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  "))
            }
        }
    }
}

struct ProbeSetDocument: Encodable {
    let name: String
    let sha256: String
    let path: String
    let probes: [Probe]
}
