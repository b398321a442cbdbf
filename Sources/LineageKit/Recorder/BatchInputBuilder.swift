import Foundation

/// Writes an OpenAI Batch API input file: one `{"custom_id", "method", "url", "body"}` line per
/// (probe, sample), so that a probe set can be recorded through the Batch API and its output read
/// back by `OpenAIBatchReader`.
///
/// `custom_id` is the probe id; with several samples it is `<probe>#<sample>`, which the reader
/// splits back into probe and sample.
public enum BatchInputBuilder {
    struct Line: Encodable {
        var customID: String
        var method = "POST"
        var url = "/v1/chat/completions"
        var body: ChatRequestBody

        enum CodingKeys: String, CodingKey {
            case customID = "custom_id"
            case method, url, body
        }
    }

    /// The whole file: one JSON object a line, each ending in a newline.
    public static func lines(for set: ProbeSet, configuration: RecorderConfiguration) throws(RecorderError) -> String {
        guard configuration.samples >= 1 else { throw RecorderError(.invalidOption, "--samples must be at least 1") }
        let encoder = ChatRequestBody.encoder
        var text = ""
        for probe in set.probes {
            for sample in 0..<configuration.samples {
                let id = configuration.samples == 1 ? probe.id : "\(probe.id)#\(sample)"
                let line = Line(customID: id, body: ChatRequestBody(
                    model: configuration.model, messages: configuration.messages(for: probe),
                    temperature: configuration.temperature, maxTokens: configuration.maxTokens))
                do { text += String(decoding: try encoder.encode(line), as: UTF8.self) + "\n" } catch {
                    throw RecorderError(.io, "cannot encode the batch line for probe \(probe.id): \(error)")
                }
            }
        }
        return text
    }
}
