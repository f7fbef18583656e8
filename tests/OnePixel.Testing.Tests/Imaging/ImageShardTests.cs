using OnePixel.Testing.Imaging;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Imaging;

public class ImageShardTests
{
    [TestCase(4)]
    [TestCase(3)]
    [TestCase(10)]
    public void The_shards_of_a_set_should_hold_every_image_exactly_once(int count)
    {
        var set = Images.Uniform(10, gray: 40, label: 0);

        var names = Enumerable.Range(1, count).SelectMany(i => set.Shard(i, count).Images.Select(image => image.Name)).ToList();

        names.Should().BeEquivalentTo(set.Images.Select(i => i.Name));
    }

    [Test]
    public void A_shard_should_take_every_nth_image_and_keep_its_index()
    {
        var set = Images.Uniform(10, gray: 40, label: 0);

        var shard = set.Shard(2, 4);

        shard.Images.Select(i => i.Index).Should().Equal(1, 5, 9);
    }

    [TestCase("1/4", 1, 4)]
    [TestCase(" 4/4 ", 4, 4)]
    public void A_shard_should_parse_from_I_slash_N(string text, int index, int count)
    {
        ImageShard.Parse(text, "--shard").Should().Be(new ImageShard(index, count));
    }

    [TestCase("0/4")]
    [TestCase("5/4")]
    [TestCase("1/0")]
    [TestCase("-1/4")]
    [TestCase("1")]
    [TestCase("a/b")]
    public void A_malformed_shard_should_be_refused_naming_where_it_came_from(string text)
    {
        var parse = () => ImageShard.Parse(text, "environment variable ONEPIXEL_SHARD");

        parse.Should().Throw<OnePixelException>().WithMessage("environment variable ONEPIXEL_SHARD: expected I/N*");
    }

    [Test]
    public void The_shard_should_be_read_from_the_environment_variable()
    {
        var previous = Environment.GetEnvironmentVariable(ImageShard.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ImageShard.EnvironmentVariable, "3/8");
            ImageShard.FromEnvironment().Should().Be(new ImageShard(3, 8));
            Environment.SetEnvironmentVariable(ImageShard.EnvironmentVariable, "");
            ImageShard.FromEnvironment().Should().BeNull();
        }
        finally
        {
            Environment.SetEnvironmentVariable(ImageShard.EnvironmentVariable, previous);
        }
    }
}
