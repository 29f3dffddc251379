namespace DistillDetect.Accounts;

/// <summary>
/// The few most used template ids of one account, kept with the Space-Saving algorithm (Metwally,
/// Agrawal and El Abbadi 2005) in two caller-owned spans of k slots: O(k) per update with k small and
/// fixed, so O(1) per exchange, no allocation. A count is an upper bound on the true count, and any id
/// used more than total/k times is guaranteed to be present. Merge follows the mergeable-summaries rule
/// for Space-Saving (Agarwal et al. 2012): add the counts of ids present in both, keep the k largest.
/// </summary>
internal static class TopTemplateCounter
{
    public static void Add(Span<long> ids, Span<long> counts, long templateId)
    {
        int minSlot = 0;
        long minCount = long.MaxValue;
        for (int i = 0; i < ids.Length; i++)
        {
            long c = counts[i];
            if (c != 0 && ids[i] == templateId)
            {
                counts[i] = c + 1;
                return;
            }
            if (c < minCount)
            {
                minCount = c;
                minSlot = i;
            }
        }
        // Free slot (count 0) or evict the smallest: the newcomer inherits its count (Space-Saving).
        ids[minSlot] = templateId;
        counts[minSlot] = minCount + 1;
    }

    public static void Merge(Span<long> ids, Span<long> counts, ReadOnlySpan<long> otherIds, ReadOnlySpan<long> otherCounts)
    {
        int k = ids.Length;
        Span<long> allIds = stackalloc long[2 * k];
        Span<long> allCounts = stackalloc long[2 * k];
        int n = 0;
        for (int i = 0; i < k; i++)
        {
            if (counts[i] == 0) continue;
            allIds[n] = ids[i];
            allCounts[n++] = counts[i];
        }
        for (int i = 0; i < k; i++)
        {
            if (otherCounts[i] == 0) continue;
            int found = -1;
            for (int j = 0; j < n; j++)
            {
                if (allIds[j] == otherIds[i])
                {
                    found = j;
                    break;
                }
            }
            if (found >= 0) allCounts[found] += otherCounts[i];
            else
            {
                allIds[n] = otherIds[i];
                allCounts[n++] = otherCounts[i];
            }
        }
        // Keep the k largest; ties by smaller id so the result does not depend on merge order.
        ids.Clear();
        counts.Clear();
        for (int slot = 0; slot < k; slot++)
        {
            int best = -1;
            for (int j = 0; j < n; j++)
            {
                if (allCounts[j] == 0) continue;
                if (best < 0 || allCounts[j] > allCounts[best] || (allCounts[j] == allCounts[best] && allIds[j] < allIds[best])) best = j;
            }
            if (best < 0) break;
            ids[slot] = allIds[best];
            counts[slot] = allCounts[best];
            allCounts[best] = 0;
        }
    }
}
