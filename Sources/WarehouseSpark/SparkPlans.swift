import Foundation
import WarehouseKit

/// The Spark Connect plans Storehouse sends: a SQL query (its rows come back as Arrow batches),
/// a SQL command (run at once, on the server), and an insert of Arrow rows into a table.
enum SparkPlans {
    /// `SQL` text with `$n` placeholders and their values as Spark's named parameters `:pn`.
    static func sqlRelation(_ text: String, parameters: [WarehouseValue]) throws -> Spark_Connect_Relation {
        var sql = Spark_Connect_SQL()
        if parameters.isEmpty {
            sql.query = text
        } else {
            let scanned = SparkSQLText(text)
            guard scanned.highestPlaceholder <= parameters.count else {
                throw WarehouseError(.usage, "the statement uses $\(scanned.highestPlaceholder) but \(parameters.count) parameter(s) were given", sql: text)
            }
            sql.query = scanned.withNamedMarkers
            for (index, value) in parameters.enumerated() {
                var expression = Spark_Connect_Expression()
                expression.literal = try literal(value)
                sql.namedArguments[SparkSQLText.markerName(index + 1)] = expression
            }
        }
        var relation = Spark_Connect_Relation()
        relation.sql = sql
        return relation
    }

    static func query(_ text: String, parameters: [WarehouseValue]) throws -> Spark_Connect_Plan {
        var plan = Spark_Connect_Plan()
        plan.root = try sqlRelation(text, parameters: parameters)
        return plan
    }

    static func command(_ text: String, parameters: [WarehouseValue]) throws -> Spark_Connect_Plan {
        var command = Spark_Connect_SqlCommand()
        command.input = try sqlRelation(text, parameters: parameters)
        var plan = Spark_Connect_Plan()
        plan.command.sqlCommand = command
        return plan
    }

    /// Appends an Arrow IPC stream's rows to a table, by column position (`insertInto`).
    static func insert(arrowStream: [UInt8], into table: String) -> Spark_Connect_Plan {
        var local = Spark_Connect_LocalRelation()
        local.data = Data(arrowStream)
        var input = Spark_Connect_Relation()
        input.localRelation = local
        var write = Spark_Connect_WriteOperation()
        write.input = input
        var saveTable = Spark_Connect_WriteOperation.SaveTable()
        saveTable.tableName = table
        saveTable.saveMethod = .insertInto
        write.table = saveTable
        write.mode = .append
        var plan = Spark_Connect_Plan()
        plan.command.writeOperation = write
        return plan
    }

    /// A value as a Spark literal of the matching type.
    static func literal(_ value: WarehouseValue) throws -> Spark_Connect_Expression.Literal {
        var literal = Spark_Connect_Expression.Literal()
        switch value {
        case .null:
            var type = Spark_Connect_DataType()
            type.null = Spark_Connect_DataType.NULL()
            literal.null = type
        case .bool(let b): literal.boolean = b
        case .int(let i): literal.long = i
        case .double(let d): literal.double = d
        case .decimal(let text):
            var decimal = Spark_Connect_Expression.Literal.Decimal()
            decimal.value = text
            let digits = text.filter(\.isNumber)
            let scale = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
            decimal.precision = Int32(max(1, min(38, digits.count)))
            decimal.scale = Int32(scale)
            literal.decimal = decimal
        case .text(let s): literal.string = s
        case .date(let days): literal.date = days
        case .timestamp(let micros): literal.timestampNtz = micros
        case .timestampTZ(let micros): literal.timestamp = micros
        case .blob(let bytes): literal.binary = Data(bytes)
        }
        return literal
    }
}
