using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DtiPortal.Application.Notifications;

public static class NotificationServices
{
    /// <summary>
    /// Registers the notification use cases and settings (docs/notifications.md). Settings come from
    /// <paramref name="configuration"/> or, when null, from the container's IConfiguration (none in tests and the CLI:
    /// the defaults). The background job (<see cref="NotificationJobs"/>) is registered by the web app only.
    /// </summary>
    public static IServiceCollection AddDtiNotifications(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.TryAddSingleton(sp =>
        {
            var env = sp.GetService<IHostEnvironment>();
            return EmailSettings.Load(configuration ?? sp.GetService<IConfiguration>(),
                env?.ContentRootPath ?? Directory.GetCurrentDirectory(), env?.IsDevelopment() ?? true);
        });
        services.TryAddSingleton(sp => NotificationJobSettings.Load(configuration ?? sp.GetService<IConfiguration>()));
        services.AddScoped<WorkflowNotifier>();
        services.AddScoped<EmailDispatcher>();
        services.AddScoped<DeadlineReminders>();
        services.AddScoped<InboxQueries>();
        return services;
    }
}
