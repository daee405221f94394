import Foundation

/// Writes a run's files: `result.json` (the whole result, versioned) and `timeseries.csv`
/// (one row a second), into a folder made for them.
public enum ResultWriter {
    public static func write(_ result: RunResult, to folder: String) throws(WriteError) {
        try OutputFile.createFolder(folder)
        try OutputFile.write(to: "\(folder)/result.json") { try encode(result) }
        try OutputFile.write(to: "\(folder)/timeseries.csv") { try Data(TimeSeriesCSV.render(result.outcome.series).utf8) }
    }

    public static func encode(_ result: RunResult) throws -> Data {
        try encoder(pretty: true).encode(result)
    }

    /// Results as JSON, in files (`pretty`) or one object a line: ISO 8601 dates to the
    /// millisecond (a merge lines shards up by when they started), and non-finite numbers as
    /// strings, as `decode` reads them.
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601Time.string(date, fractionalSeconds: true))
        }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// - Throws: a `DecodingError`, or `NegativeCount` for a count no run could have measured.
    public static func decode(_ data: Data) throws -> RunResult {
        let result = try decoder().decode(RunResult.self, from: data)
        try NegativeCount.check(result)
        return result
    }

    public static func decodeSaturation(_ data: Data) throws -> SaturationResult {
        let saturation = try decoder().decode(SaturationResult.self, from: data)
        try NegativeCount.check(saturation)
        return saturation
    }

    /// Writes `saturation.json` into `folder`; the steps' own folders are already there.
    public static func write(_ saturation: SaturationResult, to folder: String) throws(WriteError) {
        try OutputFile.createFolder(folder)
        try OutputFile.write(to: "\(folder)/\(SaturationResult.fileName)") { try encoder(pretty: true).encode(saturation) }
    }

    /// Reads what `encoder` writes, `result.json` and `saturation.json` alike.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601Time.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 time")
            }
            return date
        }
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// `20261124-141502`, in UTC, sorting as time does.
    public static func timestamp(_ date: Date) -> String {
        DateFormatter.utc("yyyyMMdd-HHmmss").string(from: date)
    }

    /// A target as a folder name: `turns:relay.example.com:443?transport=tcp` becomes
    /// `turns-relay.example.com-443-tcp`.
    public static func folderName(for target: String) -> String {
        let kept = target.replacingOccurrences(of: "transport=", with: "").map { character -> Character in
            character.isLetter || character.isNumber || character == "." || character == "_" ? character : "-"
        }
        return String(kept).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
    }
}
