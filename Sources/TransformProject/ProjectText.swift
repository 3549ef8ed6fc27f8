import Foundation

/// Project files are UTF-8, as dbt reads them. A file in another encoding is an error naming the
/// first byte that is not UTF-8, instead of its bytes silently becoming U+FFFD in a model, a
/// description or a seed's values; a leading byte-order mark is not part of the text.
package enum ProjectText {
    /// The file's text, or nil when there is no readable file at `path`.
    package static func read(path: String, file: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try decode(data, file: file)
    }

    package static func decode(_ data: Data, file: String) throws -> String {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        throw firstInvalidByte(in: bytes, file: file)
    }

    private static func firstInvalidByte(in bytes: Data.SubSequence, file: String) -> TransformError {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var line = 1, column = 1, offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1, encoded.first == 0x0A { line += 1; column = 1 } else { column += 1 }
            case .error:
                let byte = String(format: "0x%02X", bytes[offset])
                return TransformError(file: file, line: line, column: column,
                                      "byte \(byte) is not UTF-8 (the file looks saved as Latin-1 or Windows-1252); save the file as UTF-8")
            case .emptyInput:
                return TransformError(file: file, "the file is not UTF-8; save it as UTF-8")
            }
        }
    }
}
