using LlmOps.Interactive.Documents;
using LlmOps.Interactive.Engine.Runner;
using LlmOps.Tests;

namespace LlmOps.Interactive.Engine.Tests.Runner;

/// <summary>
/// Every worked-answers notebook in <c>notebooks/solutions</c> runs headless with the CI sizes, and every exercise check
/// in it passes: there a wrong answer throws (<c>ExerciseCheck</c>), so a solution that drifts from the library, or a
/// library change that breaks one, fails here. The course notebooks themselves run in <see cref="NotebookRunnerTests"/>.
/// </summary>
[Collection(HeadlessNotebooks.Name)]
public class SolutionNotebookTests
{
    static string Solutions => RepoPaths.Path("notebooks", "solutions");

    public static TheoryData<string> SolutionNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Solutions, "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(SolutionNotebooks))]
    public async Task A_solutions_notebook_runs_and_every_exercise_check_passes(string notebook)
    {
        string output = RepoPaths.NewTempFolder("llmops-solution");
        var parameters = CourseParameters.For(notebook, output);
        var result = (await new NotebookRunner(new NotebookRunOptions([Path.Combine(Solutions, notebook)], output, parameters)).RunAsync()).Single();

        Assert.True(result.Succeeded, result.FirstError);
        var executed = IpynbFormat.Load(result.ExecutedNotebook!);
        var checks = executed.Cells.Where(c => c.IsCode && c.Source.Contains("ExerciseCheck.", StringComparison.Ordinal)).ToList();
        Assert.InRange(checks.Count, 2, 4);
        Assert.All(checks, c => Assert.Contains(c.Outputs, o => (o.GetText("text/plain") ?? "").StartsWith("✔ Exercise", StringComparison.Ordinal)));
        Assert.True((await NbformatValidator.ValidateAsync(result.ExecutedNotebook!)).Valid);
    }

    [Fact]
    public void Each_solutions_notebook_copies_a_course_notebook_up_to_its_exercises()
    {
        foreach (string path in Directory.GetFiles(Solutions, "*.ipynb"))
        {
            var solution = IpynbFormat.Load(path).Cells;
            var course = IpynbFormat.Load(RepoPaths.Path("notebooks", Path.GetFileName(path))).Cells;
            int exercises = course.FindIndex(c => !c.IsCode && System.Text.RegularExpressions.Regex.IsMatch(c.Source, "^## Exercises", System.Text.RegularExpressions.RegexOptions.Multiline));
            Assert.True(exercises > 0, $"{Path.GetFileName(path)}: the course notebook has no '## Exercises' section");
            Assert.Equal(course.Count, solution.Count);
            // Up to the exercises the cells are the course's; only the parameters cell may differ (its paths are one
            // folder deeper), as long as it declares the same parameters.
            for (int i = 0; i < exercises; i++)
            {
                if (course[i].Tags.Contains("parameters"))
                    Assert.Equal(ParameterInjector.Declared(course[i]).OrderBy(p => p.Key, StringComparer.Ordinal), ParameterInjector.Declared(solution[i]).OrderBy(p => p.Key, StringComparer.Ordinal));
                else
                    Assert.True(course[i].Source == solution[i].Source, $"{Path.GetFileName(path)} cell {i} differs from the course notebook's");
            }
        }
    }

    [Fact]
    public void Running_the_course_folder_leaves_the_solutions_subfolder_out()
    {
        var notebooks = NotebookRunner.Expand([RepoPaths.Path("notebooks")]);
        Assert.Contains(notebooks, n => n.EndsWith("00-welcome.ipynb", StringComparison.Ordinal));
        Assert.DoesNotContain(notebooks, n => n.Contains($"{Path.DirectorySeparatorChar}solutions{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Solutions, "nuget.config")), "notebooks/solutions needs its own nuget.config (../../artifacts/packages)");
    }
}
