using System.Collections.Concurrent;
using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// The files a robustness test attaches (TestContext.AddTestAttachment): a PNG per fooled image and the
/// JSON report, under the work directory's onepixel/CLASS.METHOD folder.
/// </summary>
internal static class RobustnessAttachments
{
    // The JSON report is shared by the cases of a method: written once, attached by each that needs it.
    private static readonly ConcurrentDictionary<string, Lazy<string>> Reports = new();

    public static string Folder(string className, string methodName) =>
        Path.Combine(TestContext.CurrentContext.WorkDirectory, "onepixel", Safe($"{className}.{methodName}"));

    public static void AttachReport(AttackReport report, string folder)
    {
        var path = Path.Combine(folder, "report.json");
        var written = Reports.GetOrAdd(path, p => new Lazy<string>(() =>
        {
            JsonReport.Save(report, p);
            return p;
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        TestContext.AddTestAttachment(written, "one-pixel attack report (JSON, schema 1)");
    }

    public static void AttachPicture(AttackReport report, ImageAttackResult result, ImageSet images, string folder)
    {
        var image = images.Images.First(i => i.Name == result.Name);
        var target = result.Target is { } t ? $"-to-{Safe(report.ClassName(t))}" : "";
        var path = Path.Combine(folder, $"{Safe(result.Name)}{target}.png");
        AtomicFile.WriteAllBytes(path, AdversarialPicture.Png(image.Image, result));
        TestContext.AddTestAttachment(path,
            $"{result.Name}: {report.ClassName(result.Label)} -> {report.ClassName(result.AdversarialLabel ?? -1)}, original (left) and adversarial (right), changed pixel outlined");
    }

    private static string Safe(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(name.Select(c => invalid.Contains(c) || c == ' ' ? '_' : c).ToArray());
    }
}
