using System.Runtime.CompilerServices;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.NUnit;

/// <summary>What one built test case attacks: its plan and, per image, its image.</summary>
internal sealed record RobustnessCase(RobustnessPlan Plan, ImageEntry? Image);

/// <summary>
/// Builds the test cases of a [RobustnessTest] method, as NUnit's own TestCaseSource does: parameters
/// first, then <see cref="NUnitTestCaseBuilder.BuildTestMethod"/>. Nothing here may throw: a problem
/// becomes one not-runnable test carrying the reason, so discovery of the other tests goes on.
/// </summary>
internal static class RobustnessTestBuilder
{
    // The command that runs a case finds its case here; weak, so rebuilt test trees do not pile up.
    private static readonly ConditionalWeakTable<Test, RobustnessCase> Cases = new();

    public static bool TryGetCase(Test test, out RobustnessCase? robustnessCase) => Cases.TryGetValue(test, out robustnessCase);

    public static IEnumerable<TestMethod> Build(RobustnessTestAttribute attribute, IMethodInfo method, Test? suite) =>
        Build(attribute, method, suite, () => ModelDeclaration.For(method.MethodInfo, method.TypeInfo.Type));

    /// <summary>The cases of <paramref name="method"/> with the model <paramref name="declare"/> gives (the nearest [RobustnessModel], or one a test makes).</summary>
    internal static IEnumerable<TestMethod> Build(RobustnessTestAttribute attribute, IMethodInfo method, Test? suite, Func<ModelDeclaration> declare)
    {
        var builder = new NUnitTestCaseBuilder();
        RobustnessPlan plan;
        try
        {
            plan = RobustnessPlan.Create(attribute, method.MethodInfo, method.TypeInfo.Type, declare());
        }
        catch (Exception e)
        {
            return [NotRunnable(builder, method, suite, e is OnePixelException ? e.Message : $"{e.GetType().Name}: {e.Message}")];
        }

        if (!plan.PerImage)
            return [Case(builder, method, suite, new RobustnessCase(plan, null), method.Name)];
        // Names and labels only: no image is read to list the cases.
        return plan.Images.Entries()
            .Select(image => Case(builder, method, suite, new RobustnessCase(plan, image), $"{method.Name}({image.Name})"))
            .ToList();
    }

    private static TestMethod Case(NUnitTestCaseBuilder builder, IMethodInfo method, Test? suite, RobustnessCase robustnessCase, string name)
    {
        // The arguments are filled when the case runs, once the attack has produced them.
        var parameters = new TestCaseParameters(new object?[robustnessCase.Plan.Parameters.Count])
        {
            // NUnit reads braces in a test name as a pattern; an image name is taken as written.
            TestName = name.Replace('{', '(').Replace('}', ')'),
        };
        parameters.Properties.Add(PropertyNames.Category, RobustnessTestAttribute.Category);
        if (robustnessCase.Image is { } image)
            parameters.Properties.Set(PropertyNames.Description, $"{image.Name} (true class {ClassName(robustnessCase.Plan, image.Label)})");
        var test = builder.BuildTestMethod(method, suite, parameters);
        Cases.AddOrUpdate(test, robustnessCase);
        return test;
    }

    private static TestMethod NotRunnable(NUnitTestCaseBuilder builder, IMethodInfo method, Test? suite, string reason)
    {
        var parameters = new TestCaseParameters(new object?[method.GetParameters().Length]) { TestName = method.Name };
        parameters.Properties.Add(PropertyNames.Category, RobustnessTestAttribute.Category);
        var test = builder.BuildTestMethod(method, suite, parameters);
        test.MakeInvalid(reason);
        return test;
    }

    private static string ClassName(RobustnessPlan plan, int label) =>
        (plan.Model.ClassNames ?? plan.Images.ClassNames) is { } names && label < names.Count ? names[label] : label.ToString();
}
