using System.Globalization;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.History;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// A test's run in its history: appended only when ONEPIXEL_UPDATE_HISTORY asks for it (and the history's latest
/// comparable record is not already this model's), otherwise only shown at the end of the trend.
/// </summary>
internal static class HistoryEntry
{
    /// <summary>Records (or shows) <paramref name="report"/> in the history at <paramref name="path"/>; says what it did.</summary>
    public static string Record(string path, AttackReport report, IImageSource images)
    {
        var c = CultureInfo.InvariantCulture;
        var records = File.Exists(path) ? HistoryFile.Read(path) : [];
        var label = HistoryUpdate.Label(report.Model!.Sha256);
        if (!HistoryUpdate.Requested)
        {
            if (records.Count == 0)
                return $"History {path}: no records yet; run the tests with {HistoryUpdate.EnvironmentVariable}=1 (and {HistoryUpdate.LabelVariable}=v1) to start it.";
            var now = HistoryFile.RecordOf(report, images, path, "now");
            return $"History {path}: {RobustnessTrend.Of([.. records, now]).Line()} (not recorded: {HistoryUpdate.EnvironmentVariable} is not set)";
        }
        var record = HistoryFile.RecordOf(report, images, path, label);
        if (records.LastOrDefault(r => RobustnessTrend.Comparable(r, record)) is { } latest && latest.Model.Sha256 == record.Model.Sha256)
            return $"History {path}: this model is already recorded as {latest.Label} ({latest.Date}) with these settings; nothing appended.";
        if (records.Any(r => r.Label == label))
            throw new OnePixelException($"History {path}: already holds a record labelled '{label}', of another model; set {HistoryUpdate.LabelVariable} to this version's label.");
        HistoryFile.Append(path, record);
        return string.Create(c, $"History {path}: appended {record.Label} ({HistoryUpdate.EnvironmentVariable} is set): {record.Fooled} of {record.Attacked} attacked images fooled ({record.SuccessRate:P1}), clean accuracy {record.Accuracy:P1}. Trend: {RobustnessTrend.Of([.. records, record]).Line()}");
    }
}
