using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.LoadTest;

/// <summary>
/// One officer's browser tab, without a browser: signs in over HTTP, gets the prerendered entry page, and starts its
/// circuit the way .NET 10's blazor.web.js does (StartCircuit with no initial components, then UpdateRootComponents
/// with the page's server component markers and persisted state), acknowledges every render batch, answers the JS
/// interop calls with harmless results, and types into a value field through the renderer's DispatchEventAsync.
/// </summary>
internal sealed partial class CircuitClient(Uri baseUri, string userName, string password, string? pagePath = null) : IAsyncDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly RenderTree _tree = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _dotNetCalls = new();
    private readonly object _textLock = new();
    // Orders what goes on the wire as a browser does: an event is sent with the handler id its element has at that moment,
    // before the acknowledgement of any later render batch. (The server maps a handler id a render replaced to the new one
    // only until the client acknowledges that render: reading an id, then acknowledging a newer batch, then sending the
    // event with the old id is a race a browser cannot have and a busy generator can.)
    private readonly SemaphoreSlim _wire = new(1, 1);
    private HubConnection? _connection;
    private long _dotNetObjectId;
    private long _jsObjectIds;
    private int _callIds;
    private TaskCompletionSource<bool> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string>? _awaitedText;
    private Func<string, bool>? _awaitedMatch;
    private int _value;
    private static readonly bool Trace = Environment.GetEnvironmentVariable("DTI_LOADTEST_TRACE") == "1";

    private void Log(string message)
    {
        if (Trace) Console.Error.WriteLine($"[{userName}] {message}");
    }

    public string? Error { get; private set; }
    public string? Address { get; private set; }
    public bool Closed { get; private set; }

    public async Task OpenAsync(CancellationToken ct)
    {
        using var handler = new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = true };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var form = await http.GetStringAsync("dang-nhap", ct);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.UserName"] = userName;
        fields["Input.Password"] = password;
        using (var posted = await http.PostAsync("dang-nhap", new FormUrlEncodedContent(fields), ct))
            if (!posted.IsSuccessStatusCode) throw new InvalidOperationException($"{userName}: đăng nhập trả về {(int)posted.StatusCode}.");
        var list = await http.GetStringAsync("danh-gia", ct);
        var link = AssessmentLink().Match(list);
        if (!link.Success) throw new InvalidOperationException($"{userName}: đăng nhập không thành công hoặc không có bản đánh giá nào ở /danh-gia.");
        var pageUri = new Uri(baseUri, pagePath is { } other ? other.TrimStart('/') : "danh-gia/" + link.Groups[1].Value);
        using var page = await http.GetAsync(pageUri, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        if (page.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{userName}: {pageUri} trả về {(int)page.StatusCode}.");

        // The component markers (start comments carry a "type"; end comments only the prerenderId) and the persisted state.
        var operations = new List<object>();
        foreach (Match m in Marker().Matches(html))
        {
            using var marker = JsonDocument.Parse(m.Groups[1].Value);
            if (!marker.RootElement.TryGetProperty("type", out var type) || type.GetString() != "server") continue;
            operations.Add(new { type = "add", ssrComponentId = operations.Count + 1, marker = marker.RootElement.Clone() });
        }
        if (operations.Count == 0) throw new InvalidOperationException($"{userName}: trang {pageUri} không có thành phần tương tác (Blazor server).");
        var state = ServerState().Match(html) is { Success: true } s ? s.Groups[1].Value : "";

        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, "_blazor"), o =>
            {
                o.Cookies = _cookies;
                o.Transports = HttpTransportType.WebSockets;
            });
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        var connection = _connection = builder.Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(120);
        connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        // .NET 10: taskId, identifier, argsJson, result type, target instance, call type (function, constructor, get, set).
        connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        connection.On<string, bool, string>("JS.EndInvokeDotNet", (callId, success, result) =>
        {
            if (_dotNetCalls.TryRemove(callId, out var call)) call.TrySetResult(success);
            if (!success) Error ??= "DispatchEventAsync: " + result;
        });
        connection.On<string>("JS.Error", error =>
        {
            Log("JS.Error " + error);
            Error ??= "JS.Error: " + error;
            _awaitedText?.TrySetException(new InvalidOperationException(error));
        });
        connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        connection.Closed += ex =>
        {
            Closed = true;
            Error ??= "kết nối đóng: " + (ex?.Message ?? "không rõ lý do");
            _awaitedText?.TrySetException(new InvalidOperationException(Error));
            return Task.CompletedTask;
        };
        await connection.StartAsync(ct);
        var circuitId = await connection.InvokeAsync<string?>("StartCircuit", baseUri.ToString(), pageUri.ToString(), "[]", state, ct);
        if (string.IsNullOrEmpty(circuitId)) throw new InvalidOperationException($"{userName}: máy chủ không mở mạch (StartCircuit trả về rỗng). {Error}");
        Log($"circuit {circuitId}; {operations.Count} root components, state {state.Length} chars");
        await connection.SendAsync("UpdateRootComponents", JsonSerializer.Serialize(new { batchId = 1, operations }), state, ct);

        // Ready when the renderer's interop object is known and the page's sections are on screen (below).
        var deadline = Stopwatch.StartNew();
        await _attached.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        if (pagePath is not null)
        {
            await Task.Delay(500, ct); // another page: no field to wait for, only its first renders
            if (Error is not null) throw new InvalidOperationException(Error);
            return;
        }
        if (Environment.GetEnvironmentVariable("DTI_BENCH_FRAMES") is "1" or "2")
        {
            await Task.Delay(1000, ct);
            lock (_tree)
                foreach (var (id, frames, first) in _tree.FramesPerComponent().OrderByDescending(x => x.Frames).Take(25))
                {
                    Console.Error.WriteLine($"frames: component {id}: ~{frames}, rendered {_tree.Renders(id)}× ({first})");
                    if (Environment.GetEnvironmentVariable("DTI_BENCH_FRAMES") == "2") Console.Error.WriteLine(_tree.Outline(id));
                }
        }
        // Ready when the page's sections are on screen (an idle circuit stays as the page opened).
        while (true)
        {
            lock (_tree)
                if (_tree.Elements().Any(e => e.Attribute("data-testid") is { } id && (id.StartsWith("toggle-", StringComparison.Ordinal) || id.StartsWith("input-", StringComparison.Ordinal))))
                    break;
            if (Error is not null) throw new InvalidOperationException(Error);
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{userName}: trang nhập số liệu không hiện sau 60 s.");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// Before typing: the field this officer types into. A general figure (population, households…), the same kind of field in
    /// every run whichever section the page opened (it opens only the section where work remains): its section is opened as a
    /// user would. Without general information, the first figure shown.
    /// </summary>
    public async Task ChooseFieldAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var toggled = false;
        var toggledAt = Stopwatch.StartNew();
        while (Address is null)
        {
            ulong toggle = 0;
            lock (_tree)
            {
                var inputs = _tree.Elements().Where(e =>
                    e.Name == "input" && e.Attribute("data-testid") is { } id && id.StartsWith("input-", StringComparison.Ordinal) &&
                    e.Attribute("readonly") is null && e.Attribute("inputmode") is "numeric" && e.Handler("oninput") != 0).ToList();
                var input = inputs.FirstOrDefault(e => e.Attribute("data-testid")!.StartsWith("input-general:", StringComparison.Ordinal));
                if (input is null && !toggled) toggle = _tree.FindByTestId("toggle-general")?.Handler("onclick") ?? 0;
                // No general information in this set (or its section did not open within 10 s): the first figure shown.
                if (input is null && toggle == 0 && (!toggled || toggledAt.Elapsed > TimeSpan.FromSeconds(10))) input = inputs.FirstOrDefault();
                if (input is not null) Address = input.Attribute("data-testid")!["input-".Length..];
            }
            if (toggle != 0)
            {
                toggled = true;
                toggledAt.Restart();
                await DispatchAsync("toggle-general", "onclick", "click", null, new { type = "click", detail = 1 }, ct);
            }
            if (Address is null)
            {
                if (Error is not null) throw new InvalidOperationException(Error);
                if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{userName}: không thấy ô nhập số nào sau 60 s.");
                await Task.Delay(50, ct);
            }
        }
    }

    /// <summary>Types a new figure into the field and leaves it; returns the time from the event sent to the render that says "Đã lưu".</summary>
    public async Task<TimeSpan> TypeAsync(CancellationToken ct)
    {
        string? current;
        lock (_tree)
        {
            var element = _tree.FindByTestId("input-" + Address) ?? throw new InvalidOperationException($"{userName}: ô {Address} không còn trên trang.");
            current = element.Attribute("value");
        }
        // Near the figure already there (the page checks figures against each other, e.g. users ≤ population): one up, then back.
        var digits = new string((current ?? "").TakeWhile(ch => ch != ',').Where(char.IsAsciiDigit).ToArray());
        var baseValue = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10;
        var text = (_value++ % 2 == 0 ? baseValue + 1 : Math.Max(0, baseValue - 1)).ToString(CultureInfo.InvariantCulture);
        var saved = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_textLock)
        {
            _awaitedMatch = t => t.Contains("Đã lưu", StringComparison.Ordinal) || t.Contains("đã được lưu", StringComparison.Ordinal);
            _awaitedText = saved;
        }
        var started = Stopwatch.StartNew();
        // Each event with the handler its element has when it is sent (a field re-renders with its holder, whose lambdas get
        // new handler ids).
        if (!await DispatchAsync("input-" + Address, "oninput", "input", text, new { value = text }, ct))
            throw new InvalidOperationException($"{userName}: ô {Address} không còn trên trang.");
        await DispatchAsync("input-" + Address, "onblur", "blur", null, new { type = "blur" }, ct);
        await saved.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return started.Elapsed;
    }

    /// <summary>Sends an event to the element with this test id, with the handler it has now; false when it has none.</summary>
    private async Task<bool> DispatchAsync(string testId, string attribute, string eventName, string? fieldValue, object args, CancellationToken ct)
    {
        await _wire.WaitAsync(ct);
        try
        {
            ulong handler;
            int owner;
            lock (_tree)
            {
                var element = _tree.FindByTestId(testId);
                (handler, owner) = (element?.Handler(attribute) ?? 0, element?.OwnerComponentId ?? 0);
            }
            if (handler == 0) return false;
            await SendEventAsync(handler, eventName, owner, fieldValue, args, ct);
            return true;
        }
        finally { _wire.Release(); }
    }

    private Task SendEventAsync(ulong handlerId, string eventName, int componentId, string? fieldValue, object args, CancellationToken ct)
    {
        var callId = Interlocked.Increment(ref _callIds).ToString(CultureInfo.InvariantCulture);
        var descriptor = fieldValue is null
            ? (object)new { eventHandlerId = handlerId, eventName }
            : new { eventHandlerId = handlerId, eventName, eventFieldInfo = new { componentId, fieldValue } };
        var argsJson = JsonSerializer.Serialize(new[] { descriptor, args });
        _dotNetCalls[callId] = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _connection!.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", _dotNetObjectId, argsJson, ct);
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        Log($"render batch {batchId}: {batch.Length} bytes");
        string? error = null;
        await _wire.WaitAsync();
        try
        {
            try
            {
                lock (_tree)
                {
                    _tree.OnText = OnText;
                    _tree.Apply(batch);
                }
            }
            catch (Exception ex)
            {
                error = ex.Message;
                Error ??= $"lô hiển thị {batchId}: {ex.Message}";
            }
            await _connection!.SendAsync("OnRenderCompleted", batchId, error);
        }
        finally { _wire.Release(); }
    }

    private void OnText(string text)
    {
        if (_awaitedText is not null) Log("text: " + text);
        lock (_textLock)
        {
            if (_awaitedText is null) return;
            if (text.Contains("chưa lưu được", StringComparison.Ordinal))
            {
                _awaitedText.TrySetException(new InvalidOperationException("trang báo: " + text));
                _awaitedText = null;
                return;
            }
            if (_awaitedMatch?.Invoke(text) != true) return;
            _awaitedText.TrySetResult(text);
            _awaitedText = null;
        }
    }

    private async Task OnBeginInvokeJSAsync(long taskId, string identifier, string argsJson, int resultType, long targetInstanceId, int callType)
    {
        Log($"JS {taskId} {identifier} {argsJson} ({resultType}, {targetInstanceId}, {callType})");
        if (identifier == "Blazor._internal.attachWebRendererInterop")
        {
            // [rendererId, {"__dotNetObject": id}, …]: the object whose DispatchEventAsync receives the browser's events.
            using var args = JsonDocument.Parse(argsJson);
            _dotNetObjectId = args.RootElement[1].GetProperty("__dotNetObject").GetInt64();
            _attached.TrySetResult(true);
        }
        if (taskId == 0) return;
        // A JS object reference when one is expected; otherwise nothing (dti.circuitUp, focus, scroll, MudBlazor's observers…).
        // The browser's unsaved input (reconnect.js's dti.drafts.list) is a list: an officer opening the page has none.
        var result = resultType == 1 ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _jsObjectIds)}}}"
            : identifier == "dti.drafts.list" ? "[]" : "null";
        await _connection!.SendAsync("EndInvokeJSFromDotNet", taskId, true, $"[{taskId},true,{result}]");
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }

    [GeneratedRegex(@"<input[^>]*type=""hidden""[^>]*name=""(?<name>[^""]+)""[^>]*value=""(?<value>[^""]*)""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex(@"href=""/danh-gia/(\d+)""")]
    private static partial Regex AssessmentLink();

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->")]
    private static partial Regex ServerState();
}
