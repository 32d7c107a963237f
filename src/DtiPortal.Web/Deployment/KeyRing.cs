using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// Where the data-protection key ring lives (configuration <c>DataProtection:Store</c>):
/// <c>Database</c> (default; shared by every instance through PostgreSQL), <c>FileSystem</c> (<c>DataProtection:Path</c>,
/// one machine or a shared folder) or <c>None</c> (in memory: development only, the start-up check refuses it in
/// production). The application name is fixed, so instances installed in different folders share keys.
/// </summary>
public static class KeyRing
{
    public const string ApplicationName = "DtiPortal";

    public static IServiceCollection AddDtiKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        var store = (configuration["DataProtection:Store"] ?? "Database").Trim();
        if (store.Equals("FileSystem", StringComparison.OrdinalIgnoreCase))
            builder.PersistKeysToFileSystem(new DirectoryInfo(configuration["DataProtection:Path"]
                ?? throw new InvalidOperationException("DataProtection:Path chưa được cấu hình. / DataProtection:Path is not set.")));
        else if (store.Equals("None", StringComparison.OrdinalIgnoreCase))
            builder.UseEphemeralDataProtectionProvider();
        else
            // Key management options are resolved early (by the first protector): the repository is given through
            // IConfigureOptions, which gets the container, rather than built while services are still being registered.
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
                o.XmlRepository = ActivatorUtilities.CreateInstance<DatabaseXmlRepository>(sp)));
        return services;
    }

    /// <summary>
    /// Makes sure a key exists, at start-up and under the start-up lock, so that instances starting together on an empty
    /// table do not each create their own first key.
    /// </summary>
    public static void EnsureKey(IServiceProvider services, IConfiguration configuration)
    {
        if (!IsDatabase(configuration)) return;
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DtiPortal.KeyRing.WarmUp").Protect("ok"u8.ToArray());
    }

    /// <summary>
    /// The same when the app does no other start-up work (<c>Database:MigrateOnStartup=false</c>): takes the start-up lock
    /// itself. A database that cannot be reached now is not fatal here (the key is then created on first use, and
    /// /health/ready reports the database).
    /// </summary>
    public static async Task EnsureKeyUnderLockAsync(string connectionString, IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        if (!IsDatabase(configuration)) return;
        try
        {
            await using var startupLock = await StartupLock.AcquireAsync(connectionString, logger);
            EnsureKey(services, configuration);
        }
        catch (Exception ex) // whatever the database says now, starting matters more
        {
            logger.LogWarning(ex, "Could not prepare the data-protection key ring at start-up; it will be created on first use");
        }
    }

    private static bool IsDatabase(IConfiguration configuration) =>
        (configuration["DataProtection:Store"] ?? "Database").Trim() is var store && (store.Length == 0 || store.Equals("Database", StringComparison.OrdinalIgnoreCase));
}
