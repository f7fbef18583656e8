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
            json.WriteString("method", MethodName(report.Method));
            json.WriteNumber("undecided", report.Undecided);
            if (report.Method == VerificationMethod.Bounds) json.WriteNumber("tolerance", report.Options.Tolerance);
            if (report.Options.MaxSeconds is { } limit) json.WriteNumber("maxSeconds", limit);
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
                json.WriteString("verdict", VerdictName(r.Verdict));
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
                json.WriteString("method", MethodName(r.Method));
                if (includeTimings) json.WriteNumber("seconds", Math.Round(r.Seconds, 3));
                if (r.PositionsCertifiedByBounds is { } certified) json.WriteNumber("positionsCertifiedByBounds", certified);
                if (r.BoxesSplit is { } split) json.WriteNumber("boxesSplit", split);
                if (r.Note is { } note) json.WriteString("note", note);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (report.Notes.Count > 0)
            {
                json.WriteStartArray("notes");
                foreach (var note in report.Notes) json.WriteStringValue(note);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string MethodName(VerificationMethod method) => method switch
    {
        VerificationMethod.Bounds => "bounds",
        VerificationMethod.Enumerate => "enumerate",
        _ => "auto",
    };

    public static string VerdictName(VerificationVerdict verdict) => verdict switch
    {
        VerificationVerdict.Misclassified => "misclassified",
        VerificationVerdict.Certified => "certified",
        VerificationVerdict.Counterexample => "counterexample",
        VerificationVerdict.NoneFoundOnGrid => "none-found-on-grid",
        _ => "undecided",
    };

    public static void Save(VerificationReport report, string path) => AtomicFile.WriteAllText(path, ToJson(report));
}
