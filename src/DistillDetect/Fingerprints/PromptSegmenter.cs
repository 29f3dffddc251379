using System.Buffers;

namespace DistillDetect.Fingerprints;

/// <summary>
/// Splits a raw prompt into segments (lines, sentences and "label:" heads) so that
/// <see cref="TemplateIndex"/> can fingerprint the pieces a wrapper template is made of, whatever the
/// payload between them. Works on the raw text (before normalization) because normalization folds line
/// breaks into spaces and line structure is part of many templates ("### Instruction\n{task}").
/// </summary>
/// <remarks>
/// A segment ends at a line break, at a sentence terminator (<c>. ! ?</c> and their fullwidth and CJK
/// forms) followed by white space or the end, and at a colon followed by white space. Format characters
/// an evader inserts (zero-width, soft hyphen, BOM, word joiner) are skipped when looking for that white
/// space, so ".\u200B " still ends a sentence. Terminators are not part of the segment (an evader who
/// swaps "." for "!" changes nothing). Segments with no letter or digit are dropped.
/// Only the first and last <c>perEnd</c> segments are returned: a wrapper surrounds its task, and the
/// bound keeps the cost of a 10 MB prompt the cost of scanning it once (O(n), no allocation).
/// </remarks>
internal static class PromptSegmenter
{
    private static readonly SearchValues<char> s_boundaries = SearchValues.Create("\n\r.!?:\u3002\uFF01\uFF1F\uFF0E\uFF1A");

    /// <summary>
    /// Writes the ranges of the first and the last <paramref name="perEnd"/> segments of
    /// <paramref name="text"/> (in text order, no duplicates) into <paramref name="destination"/>.
    /// </summary>
    /// <param name="text">The raw prompt.</param>
    /// <param name="perEnd">How many segments to keep at each end; at least 1.</param>
    /// <param name="destination">At least <c>2 * perEnd</c> ranges.</param>
    /// <param name="totalSegments">How many segments the whole text has.</param>
    /// <returns>The number of ranges written (at most <c>2 * perEnd</c>).</returns>
    public static int Split(ReadOnlySpan<char> text, int perEnd, Span<Range> destination, out int totalSegments)
    {
        int written = 0;
        int total = 0;
        // The tail segments are kept in a ring inside destination[perEnd .. 2*perEnd).
        Span<Range> ring = destination.Slice(perEnd, perEnd);
        int start = 0;
        int position = 0;
        while (position <= text.Length)
        {
            int end;
            int next;
            if (position == text.Length)
            {
                end = text.Length;
                next = text.Length + 1;
            }
            else
            {
                int found = text[position..].IndexOfAny(s_boundaries);
                if (found < 0)
                {
                    end = text.Length;
                    next = text.Length + 1;
                }
                else
                {
                    int at = position + found;
                    if (!EndsSegment(text, at))
                    {
                        position = at + 1;
                        continue;
                    }
                    end = at;
                    next = at + 1;
                }
            }

            ReadOnlySpan<char> candidate = text[start..end];
            if (HasLetterOrDigit(candidate))
            {
                var range = new Range(start, end);
                if (total < perEnd)
                {
                    destination[written++] = range;
                }
                else
                {
                    ring[(total - perEnd) % perEnd] = range;
                }
                total++;
            }
            start = next;
            position = next;
        }

        totalSegments = total;
        if (total <= perEnd) return written;
        int tail = Math.Min(total - perEnd, perEnd);
        if (total - perEnd > perEnd)
        {
            // The ring wrapped: rotate so the tail is in text order. Rare (long prompts only).
            int oldest = (total - perEnd) % perEnd;
            Span<Range> scratch = stackalloc Range[perEnd];
            for (int i = 0; i < perEnd; i++) scratch[i] = ring[(oldest + i) % perEnd];
            scratch.CopyTo(ring);
        }
        return perEnd + tail;
    }

    private static bool EndsSegment(ReadOnlySpan<char> text, int at)
    {
        char c = text[at];
        if (c is '\n' or '\r') return true;
        // A terminator or colon ends a segment only when followed by white space or the end, so
        // "3.14", "e.g.x" and "http://x" stay whole.
        int i = at + 1;
        while (i < text.Length && IsIgnorable(text[i])) i++;
        return i >= text.Length || char.IsWhiteSpace(text[i]);
    }

    private static bool IsIgnorable(char c) =>
        c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD';

    private static bool HasLetterOrDigit(ReadOnlySpan<char> span)
    {
        foreach (char c in span)
        {
            if (char.IsAsciiLetterOrDigit(c)) return true;
            if (c > 0x7F && char.IsLetterOrDigit(c)) return true;
        }
        return false;
    }
}
