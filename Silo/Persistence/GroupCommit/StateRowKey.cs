using System.Text;
using Orleans.Storage;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// The identity of one grain's state in <c>orleans_storage</c>, in the columns and hashes Orleans' ADO.NET storage
/// uses, so that rows written by either provider are found by the other: existing databases need no migration, and
/// a silo can go back to the ADO.NET storage.
/// </summary>
/// <remarks>
/// A GUID key is split into two integers and an integer key goes in <see cref="N1"/>, each with its extension, if
/// any, in <see cref="Extension"/>; any other key is a string in <see cref="Extension"/>. A string key that parses as
/// hexadecimal counts as an integer key (Orleans' <c>TryGetIntegerKey</c> decides), which is why grain keys here
/// never are bare names. The hashes belong to the unique key of the table, so they must be the ADO.NET storage's
/// exactly: its default hasher, over the key bytes reversed on little-endian machines.
/// </remarks>
internal sealed record StateRowKey(
    string ServiceId, string StateName, int StateNameHash, int GrainHash, long N0, long N1, string? Extension)
{
    private static readonly OrleansDefaultHasher Hasher = new();

    /// <summary>
    /// Any fixed total order does: statements of a batch run in this order, so two batches that change the same rows
    /// (two silos, each with an activation of the same grain) lock them in the same order and cannot deadlock.
    /// </summary>
    public static IComparer<StateRowKey> LockOrder { get; } = Comparer<StateRowKey>.Create(Compare);

    public static StateRowKey Of(string serviceId, string stateName, GrainId grainId)
    {
        long n0 = 0;
        long n1 = 0;
        byte[] hashed;
        if (grainId.TryGetGuidKey(out var guid, out var extension))
        {
            var bytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(bytes, 0);
            n1 = BitConverter.ToInt64(bytes, 8);
            hashed = WithExtension(bytes, extension);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n1 = integer;
            hashed = WithExtension(BitConverter.GetBytes(integer), extension);
        }
        else
        {
            extension = grainId.Key.ToString();
            hashed = Encoding.UTF8.GetBytes(extension);
        }

        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(hashed);
        }

        return new StateRowKey(serviceId, stateName, Hasher.Hash(Encoding.UTF8.GetBytes(stateName)), Hasher.Hash(hashed), n0, n1, extension);
    }

    private static int Compare(StateRowKey? x, StateRowKey? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var order = x.GrainHash.CompareTo(y.GrainHash);
        order = order != 0 ? order : x.StateNameHash.CompareTo(y.StateNameHash);
        order = order != 0 ? order : x.N0.CompareTo(y.N0);
        order = order != 0 ? order : x.N1.CompareTo(y.N1);
        order = order != 0 ? order : string.CompareOrdinal(x.StateName, y.StateName);
        order = order != 0 ? order : string.CompareOrdinal(x.Extension, y.Extension);
        return order != 0 ? order : string.CompareOrdinal(x.ServiceId, y.ServiceId);
    }

    private static byte[] WithExtension(byte[] key, string? extension) =>
        extension is null ? key : [.. key, .. Encoding.UTF8.GetBytes(extension)];
}
