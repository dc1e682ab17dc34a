using Stack.Hosting.LocalInfrastructure;

namespace Stack.Hosting.Tests;

public sealed class PostgresProgramsTests
{
    [Fact]
    public void AFolderWithoutTheServerBinariesYieldsNothing()
    {
        var empty = Directory.CreateTempSubdirectory("stack-empty-");
        try
        {
            Assert.Null(PostgresPrograms.Find(empty.FullName));
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void TheMachinesPostgresIsFoundAsInitDbAndPostgresOfOneInstallation()
    {
        var programs = PostgresPrograms.Find();

        Assert.NotNull(programs);
        Assert.Equal("initdb", Path.GetFileName(programs.InitDb));
        Assert.Equal("postgres", Path.GetFileName(programs.Postgres));
        Assert.True(File.Exists(programs.InitDb) && File.Exists(programs.Postgres));
    }
}
