using LlmOps.Core.Training;

namespace LlmOps.Core.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warmup_rises_linearly_to_the_peak_then_the_cosine_reaches_the_minimum_and_stays()
    {
        var schedule = new LearningRateSchedule(Peak: 1e-3, Minimum: 1e-4, WarmupSteps: 10, DecaySteps: 110);

        Assert.Equal(1e-4, schedule.At(1), 15);
        Assert.Equal(5e-4, schedule.At(5), 15);
        Assert.Equal(1e-3, schedule.At(10), 15); // the peak at the last warmup step
        Assert.Equal(5.5e-4, schedule.At(60), 15); // half way through the decay: the mean of peak and minimum
        Assert.True(schedule.At(11) < 1e-3 && schedule.At(11) > schedule.At(12));
        Assert.Equal(1e-4, schedule.At(110), 15);
        Assert.Equal(1e-4, schedule.At(500), 15);
    }

    [Fact]
    public void No_warmup_starts_at_the_peak_and_the_config_decays_over_the_run_by_default()
    {
        Assert.Equal(1e-3, new LearningRateSchedule(1e-3, 0, 0, 100).At(1), 6);
        var config = new PretrainConfig(PretrainTestData.Model(), "t", "v", "o", MaxSteps: 200, WarmupSteps: 20);
        Assert.Equal(new LearningRateSchedule(1e-3, 1e-4, 20, 200), config.Schedule());
        Assert.Equal(80, (config with { DecaySteps = 80 }).Schedule().DecaySteps);
    }
}
