using DistillDetect.Serialization;

namespace DistillDetect.Fingerprints;

public sealed partial class TemplateIndex
{
    private const string Magic = "DDTI";
    private const ushort FormatVersion = 1;
    private const string What = "TemplateIndex";

    /// <summary>
    /// Serializes the whole state (options, templates, segments, near-duplicate memory) in the versioned,
    /// checksummed envelope (magic "DDTI", version 1, CRC-32). O(templates + segments + memory); the
    /// near-duplicate LSH index is not stored but rebuilt by <see cref="FromBytes"/>. Safe to call while
    /// others assign (the result is then a moment's snapshot).
    /// </summary>
    /// <returns>The serialized state.</returns>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        WriteOptions(w, _options);
        w.WriteInt64(Interlocked.Read(ref _order));

        var templates = new List<TemplateState>(_templates.Count);
        foreach (KeyValuePair<long, TemplateState> pair in _templates) templates.Add(pair.Value);
        templates.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        w.WriteInt32(templates.Count);
        foreach (TemplateState t in templates)
        {
            w.WriteInt64(t.Id);
            w.WriteInt64(Volatile.Read(ref t.Count));
            w.WriteInt64(Volatile.Read(ref t.First));
            w.WriteInt64(Volatile.Read(ref t.Last));
            w.WriteInt64(Volatile.Read(ref t.EvidenceSum));
            w.WriteInt64(Volatile.Read(ref t.EvidenceJoins));
            w.WriteInt64(Volatile.Read(ref t.AliasOf));
            w.WriteString(t.Example);
        }

        List<TemplateSegment> segments = _segments.Snapshot();
        segments.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        w.WriteInt32(segments.Count);
        foreach (TemplateSegment s in segments)
        {
            w.WriteUInt64(s.Key);
            w.WriteInt64(s.Owner);
            w.WriteInt64(s.LastSeen);
            w.WriteInt32(s.Support);
            w.WriteInt32(s.OwnerCount);
            w.WriteInt32(s.Words);
        }

        WriteMemory(w, _nearDuplicates, _foundLock);
        WriteMemory(w, _segmentSketches, _sketchLock);
        return w.ToArray();
    }

    /// <summary>
    /// Reads a state written by <see cref="ToBytes"/>. O(size); the near-duplicate LSH index is rebuilt.
    /// </summary>
    /// <param name="data">The serialized state.</param>
    /// <returns>An index equal in behaviour to the one serialized.</returns>
    /// <exception cref="InvalidDataException">The data is truncated, corrupt (checksum), of another type or
    /// version, or holds out-of-range values; the message names what is wrong. Nothing is half-loaded.</exception>
    public static TemplateIndex FromBytes(ReadOnlySpan<byte> data)
    {
        var r = new StateReader(data, Magic, FormatVersion, What);
        TemplateIndexOptions options = ReadOptions(ref r);
        var index = new TemplateIndex(options);
        long order = r.ReadInt64();
        if (order < 0) TemplateThrow.InvalidState($"negative assignment count {order}.");
        index._order = order;

        int templateCount = r.ReadLength(64, options.MaxTemplates, "templates");
        for (int i = 0; i < templateCount; i++)
        {
            long id = r.ReadInt64();
            long count = r.ReadInt64();
            long first = r.ReadInt64();
            long last = r.ReadInt64();
            long evidenceSum = r.ReadInt64();
            long evidenceJoins = r.ReadInt64();
            long alias = r.ReadInt64();
            string example = r.ReadString(4 * options.ExampleLength + 4);
            if (id <= 0) TemplateThrow.InvalidState($"template id {id} is not positive.");
            if (count <= 0 || first <= 0 || last < first || evidenceSum < 0 || evidenceJoins < 0 || evidenceJoins > count || alias < 0 || alias == id)
                TemplateThrow.InvalidState($"template {id} has inconsistent counters (count {count}, first {first}, last {last}).");
            var state = new TemplateState(id, example, first) { Count = count, Last = last, EvidenceSum = evidenceSum, EvidenceJoins = evidenceJoins, AliasOf = alias };
            if (!index._templates.TryAdd(id, state)) TemplateThrow.InvalidState($"template id {id} appears twice.");
            index._templateCount++;
            index.AddLive(state);
        }

        int segmentCount = r.ReadLength(36, options.MaxSegments, "segments");
        for (int i = 0; i < segmentCount; i++)
        {
            var s = new TemplateSegment
            {
                Key = r.ReadUInt64(),
                Owner = r.ReadInt64(),
                LastSeen = r.ReadInt64(),
                Support = r.ReadInt32(),
                OwnerCount = r.ReadInt32(),
                Words = r.ReadInt32(),
            };
            if (s.Key == 0 || s.Owner <= 0 || s.Support <= 0 || s.OwnerCount <= 0 || s.OwnerCount > s.Support || s.Words <= 0)
                TemplateThrow.InvalidState($"segment {i} has inconsistent values.");
            index._segments.Load(s);
        }

        ReadMemory(ref r, index._nearDuplicates, options.NearDuplicateCapacity, options.HashCount, "near-duplicate memory");
        ReadMemory(ref r, index._segmentSketches, index._segmentSketches is null ? 0 : SegmentSketchCapacity(options), SegmentSketchHashes, "segment sketches");
        r.EnsureEnd();
        return index;
    }

    private static void WriteMemory(StateWriter w, TemplateNearDuplicates? memory, Lock gate)
    {
        if (memory is null)
        {
            w.WriteInt32(0);
            return;
        }
        lock (gate)
        {
            List<(long Value, int Slot)> entries = memory.Entries();
            w.WriteInt32(entries.Count);
            foreach ((long value, int slot) in entries)
            {
                w.WriteInt64(value);
                foreach (uint v in memory.SignatureAt(slot)) w.WriteUInt32(v);
            }
        }
    }

    private static void ReadMemory(ref StateReader r, TemplateNearDuplicates? memory, int capacity, int hashCount, string field)
    {
        int count = r.ReadLength(8 + 4 * hashCount, capacity, field);
        Span<uint> signature = stackalloc uint[hashCount];
        for (int i = 0; i < count; i++)
        {
            long value = r.ReadInt64();
            for (int k = 0; k < signature.Length; k++) signature[k] = r.ReadUInt32();
            if (value == 0) TemplateThrow.InvalidState($"{field} entry {i} has the reserved value 0.");
            memory!.Add(signature, value);
        }
    }

    private static void WriteOptions(StateWriter w, TemplateIndexOptions o)
    {
        w.WriteDouble(o.NearDuplicateThreshold);
        w.WriteInt32(o.HashCount);
        w.WriteInt32(o.ShingleSize);
        w.WriteInt64(o.Seed);
        w.WriteInt32(o.MinSegmentSupport);
        w.WriteDouble(o.CoreFraction);
        w.WriteInt32(o.MinSharedWords);
        w.WriteDouble(o.MinSharedFraction);
        w.WriteInt32(o.MatureCount);
        w.WriteDouble(o.MinContainment);
        w.WriteInt32(o.SegmentsPerEnd);
        w.WriteInt32(o.MaxTemplates);
        w.WriteInt32(o.MaxSegments);
        w.WriteInt32(o.NearDuplicateCapacity);
        w.WriteInt32(o.ExampleLength);
    }

    private static TemplateIndexOptions ReadOptions(ref StateReader r)
    {
        var options = new TemplateIndexOptions
        {
            NearDuplicateThreshold = r.ReadDouble(),
            HashCount = r.ReadInt32(),
            ShingleSize = r.ReadInt32(),
            Seed = r.ReadInt64(),
            MinSegmentSupport = r.ReadInt32(),
            CoreFraction = r.ReadDouble(),
            MinSharedWords = r.ReadInt32(),
            MinSharedFraction = r.ReadDouble(),
            MatureCount = r.ReadInt32(),
            MinContainment = r.ReadDouble(),
            SegmentsPerEnd = r.ReadInt32(),
            MaxTemplates = r.ReadInt32(),
            MaxSegments = r.ReadInt32(),
            NearDuplicateCapacity = r.ReadInt32(),
            ExampleLength = r.ReadInt32(),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{What}: stored options are invalid: {e.Message}", e);
        }
        return options;
    }
}
