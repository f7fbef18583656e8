using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// When the cheap bound steps are tried: always for the first 64 boxes of an image, then only while at
/// least one in 16 of their tries certified, else on every 16th box (a probe, in case later boxes suit them).
/// </summary>
public class CheapStepsRecordTests
{
    [Test]
    public void Steps_that_never_certify_are_tried_on_the_first_64_boxes_then_on_every_16th()
    {
        var record = new CheapStepsRecord();
        var tried = 0;
        for (var box = 0; box < 64 + 160; box++)
        {
            if (!record.ShouldTry()) continue;
            tried++;
            record.Record(certified: false);
        }

        tried.Should().Be(64 + 10);
    }

    [Test]
    public void Steps_that_certify_one_box_in_16_or_more_are_always_tried()
    {
        var record = new CheapStepsRecord();
        for (var box = 0; box < 1000; box++)
        {
            record.ShouldTry().Should().BeTrue($"box {box}: one in 8 certified so far");
            record.Record(certified: box % 8 == 0);
        }
    }

    [Test]
    public void Steps_skipped_for_a_while_come_back_once_the_probes_certify_enough()
    {
        var record = new CheapStepsRecord();
        for (var box = 0; box < 64; box++) record.Record(certified: false);

        // Every 16th box is a probe; five probes that certify bring the share to 5 of 69, above one in 16 (4 of 68 is below).
        var asked = 0;
        for (var certified = 0; certified < 5; asked++)
        {
            if (!record.ShouldTry()) continue;
            record.Record(certified: true);
            certified++;
        }

        asked.Should().Be(5 * 16, "only every 16th box is a probe while the steps are skipped");
        for (var box = 0; box < 10; box++)
            record.ShouldTry().Should().BeTrue("5 of 69 certified: more than one in 16");
    }
}
