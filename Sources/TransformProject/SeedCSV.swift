import Foundation

/// A seed's CSV as dbt reads it: a header naming the columns, then rows of cells where an empty
/// cell is NULL. Quoted fields may hold commas, newlines and doubled quotes. Anything that would
/// load different rows than the file shows is an error naming the line and column: a quote that
/// never closes (it would swallow every following row), a row with more or fewer fields than the
/// header, an empty or repeated column name.
package struct SeedCSV: Sendable {
    /// Where a cell starts in the file, 1-based.
    package struct Position: Sendable, Equatable {
        package var line: Int32
        package var column: Int32
    }

    package var header: [String]
    package var rows: [[String?]]
    /// `positions[r][c]`: where row r's cell c starts, for errors about one value.
    package var positions: [[Position]]

    /// `quote` is the character that quotes fields: `"` as dbt-core reads seeds, or what DuckDB's
    /// CSV sniffer chose for the file, as dbt-duckdb loads seeds with DuckDB's `COPY`.
    package init(parsing text: String, file: String, quote: Unicode.Scalar = "\"") throws {
        var records: [[String]] = []
        var recordPositions: [[Position]] = []
        var field = ""
        var record: [String] = []
        var starts: [Position] = []
        var inQuotes = false
        var quoteOpened = Position(line: 1, column: 1)
        var line: Int32 = 1, column: Int32 = 0
        var fieldStart = Position(line: 1, column: 1)
        var atFieldStart = true
        func endField() {
            record.append(field)
            starts.append(fieldStart)
            field = ""
            atFieldStart = true
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                recordPositions.append(starts)
            }
            record = []
            starts = []
        }
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            column += 1
            if atFieldStart { fieldStart = Position(line: line, column: column); atFieldStart = false }
            if inQuotes {
                if c == quote {
                    let after = iterator.next()
                    if after == quote { field.unicodeScalars.append(quote); column += 1 } else { inQuotes = false; pending = after }
                } else {
                    field.unicodeScalars.append(c)
                    if c == "\n" { line += 1; column = 0 }
                }
                continue
            }
            switch c {
            case quote where field.isEmpty:
                inQuotes = true
                quoteOpened = Position(line: line, column: column)
            case ",": endField()
            case "\r": column -= 1
            case "\n":
                endRecord()
                line += 1
                column = 0
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes {
            throw TransformError(file: file, line: Int(quoteOpened.line), column: Int(quoteOpened.column),
                                 "the quote opened here is never closed, so every row after it would be read into this field; close the quote (write a quote inside a quoted field as \"\")")
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first, !header.isEmpty else {
            throw TransformError(file: file, "the seed is empty: a seed needs a header row naming its columns")
        }
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: [String: Int] = [:]
        for (index, name) in self.header.enumerated() {
            let at = recordPositions[0][index]
            if name.isEmpty {
                throw TransformError(file: file, line: Int(at.line), column: Int(at.column),
                                     "column \(index + 1) of the header has no name; name every column in the first row")
            }
            if let first = seen[name.lowercased()] {
                throw TransformError(file: file, line: Int(at.line), column: Int(at.column),
                                     "column name '\(name)' appears twice in the header (columns \(first + 1) and \(index + 1)); give each column its own name")
            }
            seen[name.lowercased()] = index
        }
        for (offset, record) in records.enumerated().dropFirst() where record.count != header.count {
            let at = recordPositions[offset][0]
            throw TransformError(file: file, line: Int(at.line), column: 0,
                                 "row \(offset + 1) has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(header.count); fix the row (quote values that contain commas)")
        }
        rows = records.dropFirst().map { $0.map { $0.isEmpty ? nil : $0 } }
        positions = Array(recordPositions.dropFirst())
    }
}
