using System.Collections.Concurrent;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Grains.Admin;

/// <summary>
/// This silo's copy of operators' host list (<see cref="IHostDirectoryGrain.ViewAsync"/>), so that a page of hosts is
/// a filter pass here rather than a turn of the host directory, which takes every host's upserts (thousands a second on
/// a large network) and would make each page wait behind them. Fresh for <see cref="HostListing.MaxAge"/>; after that
/// a read gets the copy it has at once and starts one refresh (stale-while-revalidate, one refresh at a time), up to
/// <see cref="MaxStale"/>, beyond which it waits for the fresh list. <see cref="Invalidate"/> after an operator's
/// change makes the next read wait for a list that shows it. Pages of one list are kept while it is current (the same
/// <see cref="HostPage"/> instance for the same query), so the API can answer a page it has already written with the
/// same bytes.
/// </summary>
public sealed class HostViewCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>The oldest list a read is answered with while a fresher one is fetched.</summary>
    public static readonly TimeSpan MaxStale = TimeSpan.FromSeconds(10);

    /// <summary>Pages kept per list; beyond this, pages are computed each time until the list changes.</summary>
    public const int MaxPages = 256;

    private readonly Lock _lock = new();
    private PageMemo _pages = new([]);
    private HostSummary[]? _view;
    private DateTimeOffset _fetchedAt;
    private Task<HostSummary[]>? _refresh;
    private long _generation;

    /// <summary>The whole sorted list; never changed once returned.</summary>
    public Task<HostSummary[]> GetAsync()
    {
        TaskCompletionSource<HostSummary[]> fetch;
        long generation;
        HostSummary[]? stale;
        lock (_lock)
        {
            var age = time.GetUtcNow() - _fetchedAt;
            stale = _view is { } view && age < MaxStale ? view : null;
            if (stale is not null && age < HostListing.MaxAge) return Task.FromResult(stale);
            if (_refresh is { IsCompleted: false } running) return stale is not null ? Task.FromResult(stale) : running;
            fetch = new TaskCompletionSource<HostSummary[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            (_refresh, generation) = (fetch.Task, _generation);
        }
        _ = FetchAsync(fetch, generation);
        return stale is not null ? Task.FromResult(stale) : fetch.Task;
    }

    /// <summary>A page of the list for a valid <paramref name="query"/> (<see cref="HostListing.Validate"/>).</summary>
    public async Task<HostPage> PageAsync(HostQuery query)
    {
        var view = await GetAsync();
        var pages = Volatile.Read(ref _pages);
        if (!ReferenceEquals(pages.View, view))
        {
            pages = new PageMemo(view);
            Volatile.Write(ref _pages, pages); // a read with an older list racing this one only costs a recomputation
        }
        if (pages.Pages.TryGetValue(query, out var page)) return page;
        page = HostListing.Page(view, query);
        return pages.Pages.Count < MaxPages ? pages.Pages.GetOrAdd(query, page) : page;
    }

    /// <summary>The pages computed from one list.</summary>
    private sealed class PageMemo(HostSummary[] view)
    {
        public HostSummary[] View { get; } = view;
        public ConcurrentDictionary<HostQuery, HostPage> Pages { get; } = new();
    }

    /// <summary>An operator changed a host: the next read waits for a list fetched after now.</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _generation++;
            (_view, _refresh) = (null, null);
        }
    }

    private async Task FetchAsync(TaskCompletionSource<HostSummary[]> fetch, long generation)
    {
        try
        {
            var view = (await grains.GetGrain<IHostDirectoryGrain>(0).ViewAsync()).Value;
            lock (_lock)
            {
                if (generation == _generation) (_view, _fetchedAt) = (view, time.GetUtcNow());
            }
            fetch.SetResult(view);
        }
        catch (Exception e)
        {
            fetch.SetException(e); // to the reads waiting for it; the next read tries again
            _ = fetch.Task.Exception; // observed: a refresh nobody waited for fails quietly
        }
    }
}
