using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Imaging;

public class ImageSetLoaderTests
{
    private static void WriteImage(TempFolder folder, string name, byte gray) =>
        ImageFile.SavePng(ByteImage.Filled(new ImageShape(3, 3, 3), gray), folder.File(name));

    [Test]
    public void A_folder_with_labels_csv_should_load_in_file_order_with_class_names()
    {
        using var folder = new TempFolder();
        WriteImage(folder, "b.png", 10);
        WriteImage(folder, "a.png", 20);
        folder.Write("labels.csv", "file,label\nb.png,1\na.png,cat\n");
        folder.Write("classes.txt", "cat\ndog\n");

        var set = ImageSetLoader.Load(folder.Path);

        set.Images.Select(i => (i.Name, i.Label, i.Index)).Should().Equal(("b.png", 1, 0), ("a.png", 0, 1));
        set.ClassNames.Should().Equal("cat", "dog");
    }

    [Test]
    public void A_folder_of_class_sub_folders_should_take_labels_from_the_folder_names()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("dog"));
        Directory.CreateDirectory(folder.File("cat"));
        WriteImage(folder, "dog/1.png", 10);
        WriteImage(folder, "cat/1.png", 20);

        var set = ImageSetLoader.Load(folder.Path);

        set.ClassNames.Should().Equal("cat", "dog");
        set.Images.Select(i => (i.Name, i.Label)).Should().Equal(("cat/1.png", 0), ("dog/1.png", 1));
    }

    [TestCase("../outside.png,0", "leads outside the folder")]
    [TestCase("missing.png,0", "does not exist")]
    [TestCase("a.png,0\na.png,1", "listed twice")]
    [TestCase("a.png,horse", "unknown label 'horse'")]
    [TestCase("a.png,5", "label 5 is out of range")]
    [TestCase("a.png", "expected 'file,label'")]
    public void A_bad_labels_csv_should_name_the_line_and_the_problem(string lines, string problem)
    {
        using var folder = new TempFolder();
        WriteImage(folder, "a.png", 10);
        folder.Write("classes.txt", "cat\ndog\n");
        var labels = folder.Write("labels.csv", "file,label\n" + lines + "\n");

        var act = () => ImageSetLoader.Load(folder.Path);

        act.Should().Throw<OnePixelException>().WithMessage($"{labels}, line *{problem}*");
    }

    [Test]
    public void An_empty_folder_should_be_refused()
    {
        using var folder = new TempFolder();

        var act = () => ImageSetLoader.Load(folder.Path);

        act.Should().Throw<OnePixelException>().WithMessage($"{folder.Path}: holds neither labels.csv nor class sub-folders*");
    }

    [Test]
    public void A_csv_file_of_labels_and_pixels_should_infer_a_square_image()
    {
        using var folder = new TempFolder();
        var row = string.Join(",", Enumerable.Repeat("7", 16));
        var path = folder.Write("images.csv", $"label,p0\n3,{row}\n1,{row}\n");

        var set = ImageSetLoader.Load(path);

        set.Shape.Should().Be(new ImageShape(4, 4, 1));
        set.Images.Select(i => i.Label).Should().Equal(3, 1);
    }

    [TestCase("3,1,2,3", "expected a label and 4 pixel values")]
    [TestCase("3,1,2,3,256", "value 4 is '256'; expected an integer 0..255")]
    [TestCase("3,1,2,x,4", "value 3 is 'x'")]
    public void A_bad_csv_row_should_name_the_line_and_value(string line, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.Write("images.csv", "0,1,2,3,4\n" + line + "\n");

        var act = () => ImageSetLoader.Load(new ImageSetSource(path) { CsvShape = new ImageShape(2, 2, 1) });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}, line 2: *{problem}*");
    }

    [Test]
    public void A_csv_file_opened_as_a_stream_should_check_labels_first_and_give_the_loaded_images()
    {
        using var folder = new TempFolder();
        var path = folder.Write("images.csv", "label,a,b,c,d\n1,0,1,2,3\n\n0,4,5,6,7\n1,8,9,10,11\n");
        var badLabel = folder.Write("bad.csv", "1,0,1,2,3\n7,4,5,6,7\n");

        var stream = ImageSetLoader.Open(path);
        var opening = () => ImageSetLoader.Open(new ImageSetSource(badLabel) { ClassNames = ["a", "b"] });

        stream.Count.Should().Be(3);
        stream.Read().Select(i => (i.Name, i.Label, i.Image.Pixels.ToArray())).Should().BeEquivalentTo(
            ImageSetLoader.Load(path).Images.Select(i => (i.Name, i.Label, i.Image.Pixels.ToArray())), o => o.WithStrictOrdering());
        stream.Read().Select(i => i.Name).Should().Equal("images.csv:2", "images.csv:4", "images.csv:5");
        opening.Should().Throw<OnePixelException>().WithMessage($"{badLabel}, line 2: label 7 is out of range*");
    }
}
