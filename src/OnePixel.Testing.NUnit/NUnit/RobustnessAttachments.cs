using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// The files a robustness test attaches (TestContext.AddTestAttachment): a PNG per fooled image (or
/// verification counterexample) and the JSON report, under the work directory's onepixel/CLASS.METHOD folder.
/// </summary>
internal static class RobustnessAttachments
{
    // The JSON report is shared by the cases of a method: written once per run, attached by each case
    // that needs it. Keyed by the run's report, so the next run of the tests writes its own.
    private static readonly ConditionalWeakTable<AttackReport, Lazy<string>> Reports = new();
    private static readonly ConditionalWeakTable<VerificationReport, Lazy<string>> Verifications = new();

    /// <summary>
    /// onepixel/FIXTURE.METHOD under the work directory, named after the method's suite (a parameterized
    /// fixture's arguments included) and, for an overloaded method, its parameter types: each method and
    /// overload has a folder, and a report.json, of its own.
    /// </summary>
    public static string Folder(ITest testCase)
    {
        var name = testCase.Parent?.FullName ?? testCase.FullName;
        if (testCase.Method?.MethodInfo is { DeclaringType: { } type } method
            && type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Count(m => m.Name == method.Name) > 1)
            name += $"({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})";
        return Path.Combine(TestContext.CurrentContext.WorkDirectory, "onepixel", Safe(name));
    }

    public static void AttachReport(AttackReport report, string folder) =>
        AttachOnce(Reports, report, Path.Combine(folder, "report.json"), JsonReport.Save, "one-pixel attack report (JSON, schema 1)");

    /// <summary>A verification's JSON report (`onepixel verify --json`), written once per run as the attack report is.</summary>
    public static void AttachReport(VerificationReport report, string folder) =>
        AttachOnce(Verifications, report, Path.Combine(folder, "verification.json"), VerificationJson.Save, "one-pixel verification report (JSON, schema 1)");

    private static void AttachOnce<T>(ConditionalWeakTable<T, Lazy<string>> written, T report, string path, Action<T, string> save, string description) where T : class
    {
        var file = written.GetValue(report, r => new Lazy<string>(() =>
        {
            save(r, path);
            return path;
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        TestContext.AddTestAttachment(file, description);
    }

    /// <summary>The picture of a verification's counterexample: the original and the changed image side by side, the pixel outlined.</summary>
    public static void AttachCounterexample(VerificationReport report, ImageVerification result, ByteImage original, string folder)
    {
        var path = Path.Combine(folder, $"{Safe(result.Name)}.png");
        AtomicFile.WriteAllBytes(path, AdversarialPicture.Png(original, [result.Counterexample!]));
        TestContext.AddTestAttachment(path,
            $"{result.Name}: {report.ClassName(result.Label)} -> {report.ClassName(result.AdversarialLabel ?? -1)} by pixel {result.Counterexample}, original (left) and counterexample (right), changed pixel outlined");
    }

    /// <summary>
    /// For an assertion (model.Should().ResistOnePixelAttacks) when NUnit runs the test: the fooled images'
    /// pictures and the JSON report, in the test's own folder. Under another runner NUnit has no test to
    /// attach them to, and nothing is written.
    /// </summary>
    public static void AttachWhenRunByNUnit(AttackReport report, IImageSource images)
    {
        if (global::NUnit.Framework.Internal.TestExecutionContext.CurrentContext is global::NUnit.Framework.Internal.TestExecutionContext.AdhocContext)
            return;
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "onepixel", TestFolderName(TestContext.CurrentContext.Test));
        var fooled = report.FooledResults.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (fooled.Count > 0)
            foreach (var image in images.Read().Where(i => fooled.Contains(i.Name)))
                foreach (var result in report.FooledResults.Where(r => r.Name == image.Name))
                    AttachPicture(report, result, image, folder);
        var path = Path.Combine(folder, "report.json");
        JsonReport.Save(report, path);
        TestContext.AddTestAttachment(path, "one-pixel attack report (JSON, schema 1)");
    }

    /// <summary>
    /// CLASS.METHOD, and for a test case with arguments a short hash of its full name too, so each case
    /// has a folder of its own; kept short, since arguments can make names longer than a file system allows.
    /// </summary>
    private static string TestFolderName(TestContext.TestAdapter test)
    {
        var name = Safe($"{test.ClassName}.{test.MethodName}");
        if (name.Length > 120) name = name[..120];
        if (test.Name == test.MethodName) return name;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(test.FullName)))[..8];
        return $"{name}-{hash}";
    }

    private static void AttachPicture(AttackReport report, ImageAttackResult result, LabeledImage image, string folder) =>
        AttachPicture(report, result, image.Image, folder);

    public static void AttachPicture(AttackReport report, ImageAttackResult result, ByteImage original, string folder)
    {
        var target = result.Target is { } t ? $"-to-{Safe(report.ClassName(t))}" : "";
        var path = Path.Combine(folder, $"{Safe(result.Name)}{target}.png");
        AtomicFile.WriteAllBytes(path, AdversarialPicture.Png(original, result));
        TestContext.AddTestAttachment(path,
            $"{result.Name}: {report.ClassName(result.Label)} -> {report.ClassName(result.AdversarialLabel ?? -1)}, original (left) and adversarial (right), changed pixel outlined");
    }

    /// <summary>
    /// A file name every system and CI artifact uploader accepts: the characters Windows refuses
    /// (&lt; &gt; : " / \ | ? * and control characters; CSV and IDX image names hold ':' and '#'), spaces, and
    /// '#' and '%' (which break attachment links) become '_'; a trailing dot or space is dropped.
    /// </summary>
    internal static string Safe(string name)
    {
        var safe = new string(name.TrimEnd('.', ' ').Select(c => char.IsControl(c) || c is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' or ' ' or '#' or '%' ? '_' : c).ToArray());
        return safe.Length == 0 ? "_" : safe;
    }
}
