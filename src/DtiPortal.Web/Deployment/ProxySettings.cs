using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// Behind nginx (deploy/nginx/dtiportal.conf): X-Forwarded-For and X-Forwarded-Proto are trusted only from the proxies
/// in <c>ForwardedHeaders:KnownProxies</c> (IP addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR), by default
/// the loopback addresses (nginx on the same machine). Anything else sending these headers is ignored.
/// </summary>
public static class ProxySettings
{
    public static IServiceCollection AddDtiForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            foreach (var ip in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                if (IPAddress.TryParse(ip, out var address)) o.KnownProxies.Add(address);
            foreach (var net in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
                if (System.Net.IPNetwork.TryParse(net, out var network)) o.KnownIPNetworks.Add(network);
        });
        return services;
    }
}
