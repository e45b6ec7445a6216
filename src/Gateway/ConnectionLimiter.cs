using System.Net;
using Microsoft.Extensions.Options;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>
/// The gateway's connection places, across both ports: at most <c>coordinator.max_connections</c> in all, at most
/// <c>coordinator.max_connections_per_address</c> from one source address (taken at accept, before a byte is read),
/// and game clients and tools together at most the part that <c>coordinator.host_reserve_percent</c> leaves them
/// (taken at HELLO, once the role is known). Host agents may take every place, so a flood of players cannot lock
/// them out.
/// </summary>
public sealed class ConnectionLimiter(IOptions<CoordinatorOptions> options)
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly CoordinatorOptions _options = options.Value;
    private int _open;
    private int _clients;

    /// <summary>Connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Game-client and tool connections open now (past HELLO).</summary>
    public int Clients => Volatile.Read(ref _clients);

    /// <summary>Takes a place for a connection from <paramref name="address"/> (null: not an IP peer, no quota); null when admitted, else the limit that refused it.</summary>
    public ConnectionLimit? TryEnter(IPAddress? address)
    {
        lock (_gate)
        {
            if (_open >= _options.MaxConnections) return ConnectionLimit.MaxConnections;
            if (address is not null)
            {
                _perAddress.TryGetValue(address, out int held);
                if (held >= _options.EffectiveMaxConnectionsPerAddress) return ConnectionLimit.PerAddress;
                _perAddress[address] = held + 1;
            }
            _open++;
            return null;
        }
    }

    public void Exit(IPAddress? address)
    {
        lock (_gate)
        {
            _open--;
            if (address is not null && _perAddress.TryGetValue(address, out int held))
            {
                if (held <= 1) _perAddress.Remove(address);
                else _perAddress[address] = held - 1;
            }
        }
    }

    /// <summary>A connection said at HELLO it is a game client or tool: it needs one of the places not reserved for hosts.</summary>
    public bool TryEnterClient()
    {
        if (Interlocked.Increment(ref _clients) <= _options.MaxClientConnections) return true;
        Interlocked.Decrement(ref _clients);
        return false;
    }

    public void ExitClient() => Interlocked.Decrement(ref _clients);

    /// <summary>The source address a quota counts: an IPv4 peer on a dual-stack socket is counted as itself.</summary>
    public static IPAddress? AddressOf(EndPoint? remote) => remote switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => ip.Address.MapToIPv4(),
        IPEndPoint ip => ip.Address,
        _ => null,
    };
}
