import ColumnLineage
import Foundation

/// A project's column lineage as OpenLineage job events, one per traced model, each with the
/// `columnLineage` facet (spec 1-2-0) on its output dataset: the direct inputs of every column
/// (identity, transformation or aggregation) and, at dataset level, the columns it joins, filters
/// and groups on. Catalogs that read OpenLineage (Marquez, DataHub, OpenMetadata) take these as
/// they are. Pure: lineage and names in, JSON objects out.
public struct OpenLineageEvents {
    public static let producer = "https://github.com/storehouse/storehouse"
    static let eventSchema = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent"
    static let facetSchema = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"
    static let jobTypeSchema = "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json"

    /// The datasets' namespace, as OpenLineage names a warehouse (`duckdb:///path/to/file.duckdb`,
    /// `postgres://host:5432`).
    public var namespace: String
    /// The jobs' namespace (the project's name).
    public var jobNamespace: String
    /// `database.` prefixed to `schema.table` dataset names, as OpenLineage's naming asks.
    public var database: String

    public init(namespace: String, jobNamespace: String, database: String) {
        self.namespace = namespace
        self.jobNamespace = jobNamespace
        self.database = database
    }

    public func events(_ lineage: ProjectLineage, at time: Date = Date()) -> [[String: Any]] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let eventTime = formatter.string(from: time)
        return lineage.relations.sorted(by: { $0.key < $1.key }).map { relation, query in
            var inputs = Set<String>()
            var fields: [String: Any] = [:]
            for column in query.columns {
                let inputFields = column.sources.sorted().map { source -> [String: Any] in
                    inputs.insert(source.relation)
                    return inputField(source, type: "DIRECT", subtype: Self.subtype(column.derivation),
                                      description: column.derivation == .window ? "window function" : nil)
                }
                fields[column.name] = ["inputFields": inputFields]
            }
            var datasetLevel: [[String: Any]] = []
            for (set, subtype) in [(query.joinKeys, "JOIN"), (query.filters, "FILTER"), (query.groupKeys, "GROUP_BY")] {
                for source in set.sorted() {
                    inputs.insert(source.relation)
                    datasetLevel.append(inputField(source, type: "INDIRECT", subtype: subtype, description: nil))
                }
            }
            let facet: [String: Any] = ["_producer": Self.producer, "_schemaURL": Self.facetSchema, "fields": fields, "dataset": datasetLevel]
            let job: [String: Any] = [
                "namespace": jobNamespace, "name": lineage.nodes[relation] ?? relation,
                "facets": ["jobType": ["_producer": Self.producer, "_schemaURL": Self.jobTypeSchema,
                                       "processingType": "BATCH", "integration": "STOREHOUSE", "jobType": "MODEL"]],
            ]
            return [
                "eventTime": eventTime, "producer": Self.producer, "schemaURL": Self.eventSchema, "job": job,
                "inputs": inputs.sorted().map { ["namespace": namespace, "name": datasetName($0)] },
                "outputs": [["namespace": namespace, "name": datasetName(relation), "facets": ["columnLineage": facet]]],
            ]
        }
    }

    func datasetName(_ relation: String) -> String { database.isEmpty ? relation : "\(database).\(relation)" }

    func inputField(_ source: ColumnSource, type: String, subtype: String, description: String?) -> [String: Any] {
        var transformation: [String: Any] = ["type": type, "subtype": subtype, "masking": false]
        if let description { transformation["description"] = description }
        return ["namespace": namespace, "name": datasetName(source.relation), "field": source.column, "transformations": [transformation]]
    }

    static func subtype(_ derivation: ColumnDerivation) -> String {
        switch derivation {
        case .identity: return "IDENTITY"
        case .transformation, .window: return "TRANSFORMATION"
        case .aggregation: return "AGGREGATION"
        }
    }
}
