import Foundation

/// One thing a user can get wrong, and what storehouse must say about it.
struct BadInput {
    enum Edit {
        case text(String)
        case bytes([UInt8])
        case delete
        case folder

        func apply(to url: URL) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: url)
            switch self {
            case .text(let text): try Data(text.utf8).write(to: url)
            case .bytes(let bytes): try Data(bytes).write(to: url)
            case .delete: break
            case .folder: try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            }
        }
    }

    /// What the user did, in a few words (also the case's identity).
    var name: String
    /// Project-relative files to write, replace or delete before running.
    var edits: [String: Edit] = [:]
    /// storehouse's arguments, run in the project folder; `$DIR` is the folder's path.
    var arguments: [String]
    var status: Int32
    /// Text the output must hold: what went wrong, where, and what to do.
    var says: [String]
    var environment: [String: String] = [:]
    /// False when the case replaces the warehouse file itself; then its bytes must not change.
    var warehouseIsValid = true
    /// What else is going on while the command runs.
    var circumstance = Circumstance.alone

    enum Circumstance {
        case alone
        /// The process may grow no file past the warehouse's size plus this many KiB (`ulimit -f`),
        /// as a disk that fills up mid-build.
        case fileSizeLimit(extraKiB: Int)
        /// Another process (a long `storehouse query`) has the warehouse open.
        case warehouseHeldByAQuery
    }

    /// Latin-1 `é`: not UTF-8.
    static let latin1: UInt8 = 0xE9

    static let baseProfiles = """
        shop:
          target: dev
          outputs:
            dev:
              type: duckdb
              path: w.duckdb
              threads: 2
        """

    static let baseProjectFile = """
        name: shop
        profile: shop
        models:
          shop:
            +materialized: table
        """

    static let baseProject: [String: String] = [
        "dbt_project.yml": baseProjectFile,
        "profiles.yml": baseProfiles,
        "models/a.sql": "select 1 as id, 'ann' as name union all select 2, 'bob'\n",
        "models/b.sql": "select id, name\nfrom {{ ref('a') }}\nwhere id > {{ var('min_id', 0) }}\n",
        "models/schema.yml": """
            version: 2
            models:
              - name: a
                description: People.
                columns:
                  - name: id
                    tests: [unique, not_null]
              - name: b
            sources:
              - name: shop_raw
                schema: main
                tables:
                  - name: cities
                    identifier: s
            """,
        "seeds/s.csv": "id,city\n1,Paris\n2,Oslo\n",
        "macros/twice.sql": "{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n",
    ]

    static var catalogue: [BadInput] {
        projectFileCases + modelCases + yamlCases + seedCases + profileCases + argumentCases + warehouseCases
    }

    // MARK: dbt_project.yml

    static let projectFileCases: [BadInput] = [
        BadInput(name: "no dbt_project.yml", edits: ["dbt_project.yml": .delete], arguments: ["build"], status: 2,
                 says: ["no dbt_project.yml here", "--project-dir"]),
        BadInput(name: "empty dbt_project.yml", edits: ["dbt_project.yml": .text("")], arguments: ["build"], status: 2,
                 says: ["dbt_project.yml is empty", "name:"]),
        BadInput(name: "dbt_project.yml without a name", edits: ["dbt_project.yml": .text("profile: shop\n")], arguments: ["build"], status: 2,
                 says: ["dbt_project.yml:1: error: dbt_project.yml has no `name:`"]),
        BadInput(name: "project name with a dash", edits: ["dbt_project.yml": .text("name: my-shop\nprofile: shop\n")], arguments: ["build"], status: 2,
                 says: ["dbt_project.yml:1:7: error: project name 'my-shop' is not a valid name", "'my_shop'"]),
        BadInput(name: "project name starting with a digit", edits: ["dbt_project.yml": .text("name: 2shop\nprofile: shop\n")], arguments: ["ls"], status: 2,
                 says: ["project name '2shop' is not a valid name", "'_2shop'"]),
        BadInput(name: "dbt_project.yml in Latin-1", edits: ["dbt_project.yml": .bytes(Array("name: shop\nprofile: shop\n# caf".utf8) + [latin1])],
                 arguments: ["build"], status: 2, says: ["dbt_project.yml:3:6: error: byte 0xE9 is not UTF-8", "save the file as UTF-8"]),
        BadInput(name: "dbt_project.yml with a tab indent", edits: ["dbt_project.yml": .text("name: shop\nprofile: shop\nmodels:\n\tshop: {}\n")],
                 arguments: ["build"], status: 2, says: ["dbt_project.yml:4", "invalid YAML"]),
        BadInput(name: "dbt_project.yml with a key twice", edits: ["dbt_project.yml": .text("name: shop\nprofile: shop\nname: other\n")],
                 arguments: ["build"], status: 2, says: ["dbt_project.yml:3:1: error: the key 'name' appears twice", "first at line 1, column 1"]),
        BadInput(name: "materialized given a number", edits: ["dbt_project.yml": .text(baseProjectFile.replacingOccurrences(of: "+materialized: table", with: "+materialized: 3"))],
                 arguments: ["build"], status: 2, says: ["dbt_project.yml:5", "'materialized' must be a string"]),
        BadInput(name: "tags given a mapping", edits: ["dbt_project.yml": .text(baseProjectFile + "\n    +tags: {a: 1}\n")],
                 arguments: ["build"], status: 2, says: ["dbt_project.yml:6", "'tags'"]),
        BadInput(name: "profile named in the project is missing", edits: ["dbt_project.yml": .text("name: shop\nprofile: nope\n")],
                 arguments: ["build"], status: 2, says: ["profile 'nope' (named in dbt_project.yml) is not in profiles.yml"]),
        BadInput(name: "target path is a file", edits: ["target": .text("not a folder\n")], arguments: ["build"], status: 2,
                 says: ["is a file, not a folder", "target-path:"]),
        BadInput(name: "vars in dbt_project.yml is a list", edits: ["dbt_project.yml": .text(baseProjectFile + "\nvars: [1, 2]\n")],
                 arguments: ["build"], status: 2, says: ["dbt_project.yml:6:7: error: `vars:` must be a mapping"]),
    ]

    // MARK: models, Jinja and SQL

    static let modelCases: [BadInput] = [
        BadInput(name: "ref to a model that does not exist", edits: ["models/c.sql": .text("select * from {{ ref('aa') }}")], arguments: ["build"], status: 2,
                 says: ["models/c.sql:1:", "refers to 'aa'", "did you mean 'a'"]),
        BadInput(name: "ref cycle", edits: ["models/a.sql": .text("select * from {{ ref('b') }}")], arguments: ["build"], status: 2,
                 says: ["dependency cycle", "model.shop.a", "model.shop.b", "remove one of these refs"]),
        BadInput(name: "two models with one name", edits: ["models/more/a.sql": .text("select 3 as id")], arguments: ["build"], status: 2,
                 says: ["model 'a' is defined twice", "rename one of them"]),
        BadInput(name: "unclosed if block", edits: ["models/c.sql": .text("select 1\n{% if true %}\nselect 2\n")], arguments: ["build"], status: 2,
                 says: ["models/c.sql:", "endif"]),
        BadInput(name: "unclosed expression", edits: ["models/c.sql": .text("select {{ 1 + as x")], arguments: ["build"], status: 2,
                 says: ["models/c.sql:1"]),
        // As in dbt, the project loads and the model fails when it runs (its siblings build).
        BadInput(name: "unknown macro", edits: ["models/c.sql": .text("select\n  {{ thrice(2) }} as x")], arguments: ["build"], status: 1,
                 says: ["models/c.sql:2", "'thrice' is undefined"]),
        BadInput(name: "unknown filter", edits: ["models/c.sql": .text("select '{{ 'a' | shout }}' as x")], arguments: ["build"], status: 2,
                 says: ["models/c.sql:1", "shout"]),
        BadInput(name: "materialized config given a number in the file", edits: ["models/c.sql": .text("{{ config(materialized=3) }}\nselect 1")],
                 arguments: ["build"], status: 2, says: ["models/c.sql:1:4: error: config 'materialized' must be a string"]),
        BadInput(name: "unknown materialization", edits: ["models/c.sql": .text("{{ config(materialized='tabel') }}\nselect 1 as x")],
                 arguments: ["build"], status: 1, says: ["c", "tabel"]),
        BadInput(name: "SQL syntax error", edits: ["models/c.sql": .text("select\n  1 as id,\n  from\n")], arguments: ["build"], status: 1,
                 says: ["ERROR model c", "compiled SQL:", "syntax error"]),
        BadInput(name: "unknown column", edits: ["models/c.sql": .text("select\n  nosuch\nfrom {{ ref('a') }}\n")], arguments: ["build"], status: 1,
                 says: ["ERROR model c", "nosuch", "models/c.sql:2: the statement's LINE"]),
        BadInput(name: "unknown function maps to the file's line", edits: ["models/c.sql": .text("-- c\n\nselect\n  1 as id,\n  nosuch(2) as b\n")],
                 arguments: ["build"], status: 1, says: ["models/c.sql:5: the statement's LINE 6", "nosuch"]),
        BadInput(name: "table that is not there", edits: ["models/c.sql": .text("select * from main.orders_raw")], arguments: ["build"], status: 1,
                 says: ["ERROR model c", "orders_raw"]),
        BadInput(name: "empty model file", edits: ["models/c.sql": .text("")], arguments: ["build"], status: 1, says: ["c"]),
        BadInput(name: "model in Latin-1", edits: ["models/c.sql": .bytes(Array("select 'caf".utf8) + [latin1] + Array("' as x".utf8))],
                 arguments: ["build"], status: 2, says: ["models/c.sql:1:12: error: byte 0xE9 is not UTF-8"]),
        BadInput(name: "source that is not declared", edits: ["models/c.sql": .text("select * from {{ source('shop_raw', 'orders') }}")],
                 arguments: ["build"], status: 2, says: ["models/c.sql", "source", "orders"]),
        BadInput(name: "source name misspelt", edits: ["models/c.sql": .text("select * from {{ source('shop_rw', 'cities') }}")],
                 arguments: ["build"], status: 2, says: ["models/c.sql", "shop_rw"]),
        BadInput(name: "var without a value or default", edits: ["models/c.sql": .text("select {{ var('start_day') }} as d")],
                 arguments: ["build"], status: 2, says: ["models/c.sql", "start_day"]),
        BadInput(name: "ref with too many arguments", edits: ["models/c.sql": .text("select * from {{ ref('a', 'b', 'c') }}")],
                 arguments: ["build"], status: 2, says: ["models/c.sql", "ref"]),
        BadInput(name: "raise_compiler_error in a model", edits: ["models/c.sql": .text("{{ exceptions.raise_compiler_error('orders need a currency') }}")],
                 arguments: ["build"], status: 2, says: ["models/c.sql", "orders need a currency"]),
        BadInput(name: "macro file with a syntax error", edits: ["macros/bad.sql": .text("{% macro broken(x) %}{{ x }\n{% endmacro %}")],
                 arguments: ["build"], status: 2, says: ["macros/bad.sql"]),
        BadInput(name: "macro called with a missing argument", edits: ["models/c.sql": .text("select {{ twice() }} as x")],
                 arguments: ["build"], status: 1, says: ["c"]),
        BadInput(name: "snapshot without unique_key", edits: ["snapshots/snap.sql": .text("{% snapshot snap %}\n{{ config(target_schema='main', strategy='check', check_cols='all') }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}")],
                 arguments: ["build"], status: 1, says: ["snapshots/snap.sql", "unique_key"]),
        BadInput(name: "snapshot with an unknown strategy", edits: ["snapshots/snap.sql": .text("{% snapshot snap %}\n{{ config(target_schema='main', unique_key='id', strategy='sometimes') }}\nselect * from {{ ref('a') }}\n{% endsnapshot %}")],
                 arguments: ["build"], status: 1, says: ["snapshots/snap.sql", "strategy 'sometimes'"]),
        BadInput(name: "singular test with bad SQL", edits: ["tests/bad_test.sql": .text("select * from {{ ref('a') }} where")],
                 arguments: ["test"], status: 1, says: ["ERROR test bad_test"]),
        BadInput(name: "test on a model that was never built", edits: ["models/c.sql": .text("select 1 as id"), "models/c.yml": .text("version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        tests: [not_null]\n")],
                 arguments: ["test"], status: 1, says: ["the model c this test checks is not in the warehouse", "storehouse build --select c"]),
        BadInput(name: "failing model skips its tests", edits: ["models/c.sql": .text("select nosuch from {{ ref('a') }}"), "models/c.yml": .text("version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        tests: [not_null]\n")],
                 arguments: ["build"], status: 1, says: ["ERROR model c", "SKIP"]),
    ]

    // MARK: property YAML

    static let yamlCases: [BadInput] = [
        BadInput(name: "property file with bad indentation", edits: ["models/more.yml": .text("version: 2\nmodels:\n  - name: a\n   columns: [\n")],
                 arguments: ["build"], status: 2, says: ["models/more.yml:4", "invalid YAML"]),
        BadInput(name: "property file with a key twice", edits: ["models/more.yml": .text("version: 2\nmodels:\n  - name: b\n    description: x\n    description: y\n")],
                 arguments: ["build"], status: 2, says: ["models/more.yml:5:5: error: the key 'description' appears twice", "first at line 4"]),
        BadInput(name: "property entry without a name", edits: ["models/more.yml": .text("version: 2\nmodels:\n  - description: x\n")],
                 arguments: ["build"], status: 2, says: ["models/more.yml:3", "has no `name:`"]),
        BadInput(name: "property entry for a model that does not exist", edits: ["models/more.yml": .text("version: 2\nmodels:\n  - name: bb\n    description: x\n")],
                 arguments: ["build"], status: 0, says: ["models/more.yml:3:5: warning: no model named 'bb'", "did you mean 'b'"]),
        BadInput(name: "two property entries for one model", edits: ["models/more.yml": .text("version: 2\nmodels:\n  - name: b\n")],
                 arguments: ["build"], status: 2, says: ["model 'b' is already described in models/more.yml:3"]),
        BadInput(name: "unknown generic test", edits: ["models/more.yml": .text("version: 2\nseeds:\n  - name: s\n    columns:\n      - name: id\n        tests: [uniqeu]\n")],
                 arguments: ["build"], status: 2, says: ["models/more.yml", "uniqeu"]),
        BadInput(name: "accepted_values without values", edits: ["models/more.yml": .text("version: 2\nseeds:\n  - name: s\n    columns:\n      - name: city\n        tests: [accepted_values]\n")],
                 arguments: ["build"], status: 1, says: ["accepted_values", "values"]),
        BadInput(name: "relationships to a model that does not exist", edits: ["models/more.yml": .text("version: 2\nseeds:\n  - name: s\n    columns:\n      - name: id\n        tests:\n          - relationships: {to: ref('people'), field: id}\n")],
                 arguments: ["build"], status: 2, says: ["models/more.yml", "people"]),
        BadInput(name: "property file in Latin-1", edits: ["models/more.yml": .bytes(Array("version: 2\nseeds:\n  - name: s\n    description: caf".utf8) + [latin1] + [10])],
                 arguments: ["build"], status: 2, says: ["models/more.yml:4:21: error: byte 0xE9 is not UTF-8"]),
        BadInput(name: "description cut short by a comma in a flow entry", edits: ["models/more.yml": .text("version: 2\nseeds:\n  - name: s\n    columns:\n      - {name: city, description: Paris, Oslo or Rome.}\n")],
                 arguments: ["build"], status: 0, says: ["models/more.yml:5:", "warning:", "put the description in quotes"]),
        BadInput(name: "misspelt column key", edits: ["models/more.yml": .text("version: 2\nseeds:\n  - name: s\n    columns:\n      - name: city\n        descripton: Where.\n")],
                 arguments: ["build"], status: 0, says: ["models/more.yml:6:9: warning:", "'descripton'"]),
        BadInput(name: "source without tables is harmless", edits: ["models/more.yml": .text("version: 2\nsources:\n  - name: empty_source\n")],
                 arguments: ["build"], status: 0, says: ["Done"]),
        BadInput(name: "source table declared twice", edits: ["models/more.yml": .text("version: 2\nsources:\n  - name: shop_raw\n    tables:\n      - name: cities\n")],
                 arguments: ["build"], status: 2, says: ["table 'cities' of source 'shop_raw' is already declared in models/"]),
        BadInput(name: "freshness with an unknown period", edits: ["models/more.yml": .text("version: 2\nsources:\n  - name: feed\n    loaded_at_field: at\n    freshness:\n      warn_after: {count: 1, period: fortnight}\n    tables:\n      - name: t\n")],
                 arguments: ["source", "freshness"], status: 2, says: ["models/more.yml", "fortnight"]),
        BadInput(name: "a YAML list at the top of a property file", edits: ["models/more.yml": .text("- name: a\n")],
                 arguments: ["build"], status: 0, says: ["Done"]),
    ]

    // MARK: seeds

    static let seedCases: [BadInput] = [
        BadInput(name: "seed with an unclosed quote", edits: ["seeds/s.csv": .text("id,city\n1,\"Paris\n2,Oslo\n3,Rome\n")], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv:2:3: error: the quote opened here is never closed"]),
        BadInput(name: "seed in Latin-1", edits: ["seeds/s.csv": .bytes(Array("id,city\n1,Par".utf8) + [latin1] + Array("s\n".utf8))], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv:2:6: error: byte 0xE9 is not UTF-8"]),
        BadInput(name: "seed row with too few fields", edits: ["seeds/s.csv": .text("id,city\n1,Paris\n2\n")], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv:3: error: row 3 has 1 field but the header has 2"]),
        BadInput(name: "seed row with too many fields", edits: ["seeds/s.csv": .text("id,city\n1,Paris,France\n")], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv:2: error: row 2 has 3 fields but the header has 2", "quote values that contain commas"]),
        BadInput(name: "seed header names a column twice", edits: ["seeds/s.csv": .text("id,city,id\n1,Paris,2\n")], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv:1:9: error: column name 'id' appears twice"]),
        BadInput(name: "seed header with an empty name", edits: ["seeds/s.csv": .text("id,,city\n1,x,Paris\n")], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv:1:4: error: column 2 of the header has no name"]),
        BadInput(name: "empty seed file", edits: ["seeds/s.csv": .text("")], arguments: ["seed"], status: 2,
                 says: ["seeds/s.csv: error: the seed is empty"]),
        BadInput(name: "seed of blank lines", edits: ["seeds/s.csv": .text("\n\n\n")], arguments: ["seed"], status: 2,
                 says: ["the seed is empty"]),
        BadInput(name: "seed value of the wrong declared type", edits: ["seeds/s.csv": .text("id,city\n1,Paris\nx,Oslo\n"),
                                                                      "seeds/s.yml": .text("seeds:\n  - name: s\n    config:\n      column_types: {id: integer}\n")],
                 arguments: ["seed"], status: 1, says: ["seeds/s.csv:3:1: error: row 3, column `id`: 'x' is not a valid integer", "column_types", "Nothing was loaded"]),
        BadInput(name: "seed value too big for integer", edits: ["seeds/s.csv": .text("id,city\n1,Paris\n99999999999,Oslo\n"),
                                                                "seeds/s.yml": .text("seeds:\n  - name: s\n    config:\n      column_types: {id: integer}\n")],
                 arguments: ["seed"], status: 1, says: ["seeds/s.csv:3:1: error: row 3, column `id`: '99999999999' is not a valid integer"]),
        BadInput(name: "seed date that is not a date", edits: ["seeds/s.csv": .text("id,city,day\n1,Paris,2026-01-01\n2,Oslo,2026-02-30\n"),
                                                              "seeds/s.yml": .text("seeds:\n  - name: s\n    config:\n      column_types: {day: date}\n")],
                 arguments: ["seed"], status: 1, says: ["seeds/s.csv:3:", "column `day`: '2026-02-30' is not a valid date"]),
        BadInput(name: "seed with a type that does not exist", edits: ["seeds/s.yml": .text("seeds:\n  - name: s\n    config:\n      column_types: {id: integr}\n")],
                 arguments: ["seed"], status: 1, says: ["seeds/s.csv:2:1", "integr"]),
        BadInput(name: "seed column_types given a list", edits: ["seeds/s.yml": .text("seeds:\n  - name: s\n    config:\n      column_types: [integer]\n")],
                 arguments: ["seed"], status: 2, says: ["seeds/s.yml:4", "column_types"]),
        BadInput(name: "seed with a byte-order mark loads its columns by name", edits: ["seeds/s.csv": .bytes([0xEF, 0xBB, 0xBF] + Array("id,city\n1,Paris\n2,Oslo\n".utf8))],
                 arguments: ["seed"], status: 0, says: ["seed      s", "OK"]),
    ]
}
