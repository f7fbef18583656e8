using System.Globalization;
using System.Reflection;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit;

/// <summary>A <see cref="RobustnessModelAttribute"/> with its paths resolved and its sidecar read: what discovery knows without loading the model.</summary>
internal sealed record ModelDeclaration
{
    public string? Path { get; init; }
    public Type? ClassifierType { get; init; }
    public ModelOptions? Overrides { get; init; }

    /// <summary>The images folder or file, resolved.</summary>
    public required string Images { get; init; }

    /// <summary>Class names the sidecar (or the overrides) give, used to read labels given as names.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Identifies the model and its options, for sharing.</summary>
    public required string Key { get; init; }

    /// <summary>The declaration nearest to <paramref name="method"/>: on the method, its class, or its assembly.</summary>
    public static ModelDeclaration For(MethodInfo method, Type fixture)
    {
        var attribute = method.GetCustomAttribute<RobustnessModelAttribute>(true)
            ?? fixture.GetCustomAttribute<RobustnessModelAttribute>(true)
            ?? method.DeclaringType?.GetCustomAttribute<RobustnessModelAttribute>(true)
            ?? fixture.Assembly.GetCustomAttribute<RobustnessModelAttribute>()
            ?? throw new OnePixelException($"{fixture.FullName}.{method.Name}: no model declared; expected [RobustnessModel(\"model.onnx\")] on the method, its class or the assembly.");
        return From(attribute, fixture.Assembly);
    }

    public static ModelDeclaration From(RobustnessModelAttribute attribute, Assembly assembly)
    {
        if (attribute.Classifier is { } type)
        {
            if (!typeof(IImageClassifier).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
                throw new OnePixelException($"[RobustnessModel(typeof({type.Name}))]: expected a class implementing IImageClassifier with a public parameterless constructor.");
            var images = attribute.Images
                ?? throw new OnePixelException($"[RobustnessModel(typeof({type.Name}))]: a classifier made in code has no sidecar to name its images; expected Images = \"folder\".");
            return new ModelDeclaration
            {
                ClassifierType = type,
                Images = TestPaths.Resolve(images, assembly, "[RobustnessModel] Images"),
                Key = "type:" + type.AssemblyQualifiedName,
            };
        }

        var path = TestPaths.Resolve(attribute.Path!, assembly, "[RobustnessModel] model");
        if (!File.Exists(path))
            throw new OnePixelException($"[RobustnessModel] model '{attribute.Path}': {path} is a folder; expected an .onnx file.");
        var overrides = new ModelOptions
        {
            InputName = attribute.InputName,
            OutputName = attribute.OutputName,
            Layout = attribute.Layout is { } layout ? ModelSidecar.ParseLayout(layout, "[RobustnessModel] Layout") : null,
            Scale = attribute.Scale switch
            {
                0 => null,
                > 0 and var scale when float.IsFinite(scale) => scale,
                var scale => throw new OnePixelException($"[RobustnessModel] Scale: expected a positive number, found {scale.ToString(CultureInfo.InvariantCulture)}."),
            },
            Mean = attribute.Mean is { } mean ? Finite(mean, "Mean") : null,
            Std = attribute.Std is { } std ? (Finite(std, "Std").All(v => v > 0) ? std : throw new OnePixelException($"[RobustnessModel] Std: expected positive numbers, found [{string.Join(", ", std.Select(v => v.ToString(CultureInfo.InvariantCulture)))}].")) : null,
            Scores = attribute.OutputKind is { } kind ? ModelSidecar.ParseScoreKind(kind, "[RobustnessModel] OutputKind") : null,
            Backend = attribute.Backend is { } backend ? ModelSidecar.ParseBackend(backend, "[RobustnessModel] Backend") : null,
        };
        var options = (ModelSidecar.TryReadFor(path) ?? new ModelOptions()).OverriddenBy(overrides);
        var imagesPath = attribute.Images is { } given
            ? TestPaths.Resolve(given, assembly, "[RobustnessModel] Images")
            : options.SampleImages
                ?? throw new OnePixelException($"{ModelSidecar.NoSampleImages(path)}, and [RobustnessModel] gives no Images; expected one of them.");
        return new ModelDeclaration
        {
            Path = path,
            Overrides = overrides,
            Images = imagesPath,
            ClassNames = options.ClassNames,
            Key = string.Join("|", "onnx", path, overrides.InputName, overrides.OutputName, overrides.Layout, overrides.Scale?.ToString(CultureInfo.InvariantCulture),
                Numbers(overrides.Mean), Numbers(overrides.Std), overrides.Scores, overrides.Backend),
        };
    }

    private static float[] Finite(float[] values, string field) =>
        values.Length > 0 && values.All(float.IsFinite) ? values
            : throw new OnePixelException($"[RobustnessModel] {field}: expected one number, or one per channel, found [{string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}].");

    private static string? Numbers(IReadOnlyList<float>? values) => values is null ? null : string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>The images, opened: names and labels are read now, pixels when an attack reaches each image.</summary>
    public ImageStream OpenImages() => ImageSetLoader.Open(Images, ClassNames);
}
