using System.Text;
using System.Text.Json;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Reports;

/// <summary>The JSON report of `onepixel verify`: same conventions as the attack report (stable field order, fields only ever added).</summary>
public static class VerificationJson
{
    public const int SchemaVersion = 1;

    public static string ToJson(VerificationReport report, bool includeTimings = true)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteString("kind", "verification");
            JsonReport.WriteTool(json);
            json.WriteStartObject("summary");
            json.WriteNumber("images", report.Images);
            json.WriteNumber("checked", report.Checked);
            json.WriteNumber("vulnerable", report.Vulnerable);
            json.WriteNumber("resisting", report.Resisting);
            json.WriteNumber("vulnerableRate", report.VulnerableRate);
            json.WriteBoolean("exact", report.Exact);
            json.WriteBoolean("stopAtFirst", report.Options.StopAtFirst);
            json.WriteNumber("queries", report.Queries);
            if (includeTimings) json.WriteNumber("seconds", Math.Round(report.Seconds, 3));
            if (report.Model is { } model) JsonReport.WriteModel(json, model);
            if (report.ImageSource is { } source) json.WriteString("imageSource", source);
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var r in report.Results)
            {
                json.WriteStartObject();
                json.WriteNumber("index", r.Index);
                json.WriteString("name", r.Name);
                json.WriteNumber("label", r.Label);
                json.WriteNumber("predicted", r.Predicted);
                json.WriteBoolean("checked", r.Checked);
                json.WriteBoolean("vulnerable", r.Vulnerable);
                json.WriteBoolean("exact", r.Exact);
                json.WriteString("verdict", !r.Checked ? "misclassified" : r.Vulnerable ? "counterexample" : r.Exact ? "certified" : "none-found-on-grid");
                if (r.Counterexample is { } pixel)
                {
                    json.WriteStartObject("counterexample");
                    JsonReport.WritePixelFields(json, pixel);
                    json.WriteNumber("adversarialLabel", r.AdversarialLabel!.Value);
                    json.WriteNumber("adversarialConfidence", r.AdversarialConfidence!.Value);
                    json.WriteEndObject();
                }
                if (r.FoolingCandidates is { } fooling) json.WriteNumber("foolingCandidates", fooling);
                if (r.VulnerablePositions is { } positions) json.WriteNumber("vulnerablePositions", positions);
                json.WriteNumber("queries", r.Queries);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static void Save(VerificationReport report, string path) => AtomicFile.WriteAllText(path, ToJson(report));
}
