using DtiPortal.Integration.Tests.Infrastructure;
using DtiPortal.Web.Deployment;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>Issue 8: instances starting together run migrations one at a time; other databases are not held up.</summary>
public class StartupLockTests
{
    private static string For(string database) =>
        new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = database }.ConnectionString;

    [Fact]
    public async Task ASecondInstance_WaitsForTheFirst_ButAnotherDatabaseDoesNot()
    {
        var name = "dti_lock_" + Guid.NewGuid().ToString("N")[..8]; // the database need not exist: the lock is on "postgres"
        var first = await StartupLock.AcquireAsync(For(name), NullLogger.Instance);
        var second = StartupLock.AcquireAsync(For(name), NullLogger.Instance);
        await using (await StartupLock.AcquireAsync(For(name + "_other"), NullLogger.Instance).WaitAsync(TimeSpan.FromSeconds(10))) { }
        await Task.Delay(500);
        Assert.False(second.IsCompleted, "the second instance did not wait for the first");
        await first.DisposeAsync();
        await using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(StartupLock.KeyFor(name), StartupLock.KeyFor(name + "_other"));
    }
}
