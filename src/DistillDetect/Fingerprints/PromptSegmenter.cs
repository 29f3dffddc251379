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
/// forms) followed by white space or the end, at a colon followed by white space, at a comma followed by
/// white space after at most two words (an opener: "Hey, Think step by step ..."), and at a markup tag
/// (<c>&lt;task&gt;</c>, <c>&lt;/answer&gt;</c>: a letter, then up to 24 letters, digits, '_' or '-'),
/// which is dropped: a wrapper that puts its task on its own line, after a label or inside tags splits the same way. Format characters
/// an evader inserts (zero-width, soft hyphen, BOM, word joiner) are skipped when looking for that white
/// space, so ".\u200B " still ends a sentence. Terminators are not part of the segment (an evader who
/// swaps "." for "!" changes nothing). Segments with no letter or digit are dropped.
/// Only the first and last <c>perEnd</c> segments are returned: a wrapper surrounds its task, and the
/// bound keeps the cost of a 10 MB prompt the cost of scanning it once (O(n), no allocation).
/// </remarks>
internal static class PromptSegmenter
{
    private static readonly SearchValues<char> s_boundaries = SearchValues.Create("\n\r.!?:,<\u3002\uFF01\uFF1F\uFF0E\uFF1A");

    /// <summary>Longest markup tag name treated as a boundary (<c>&lt;task&gt;</c>, <c>&lt;/answer&gt;</c>).</summary>
    private const int MaxTagName = 24;

    /// <summary>A comma after at most this many words ends an opener ("Hey,", "Hey there,").</summary>
    private const int MaxOpenerWords = 2;

    /// <summary>Characters an opener before a comma may span (with white space and disguise characters).</summary>
    private const int MaxOpenerChars = 40;

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
                    next = EndsSegment(text, start, at);
                    if (next < 0)
                    {
                        position = at + 1;
                        continue;
                    }
                    end = at;
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

    /// <summary>Where the next segment starts when the character at <paramref name="at"/> ends the segment that began at <paramref name="start"/>, else -1.</summary>
    private static int EndsSegment(ReadOnlySpan<char> text, int start, int at)
    {
        char c = text[at];
        if (c is '\n' or '\r') return at + 1;
        if (c == '<')
        {
            // A markup tag is a boundary and is dropped, so a wrapper's "<task>" and "</task>" do not glue
            // the wrapper to the first and last sentences of its payload.
            int tagEnd = TagEnd(text, at);
            return tagEnd;
        }
        // A terminator, colon or comma ends a segment only when followed by white space or the end, so
        // "3.14", "e.g.x", "1,000" and "http://x" stay whole.
        int i = at + 1;
        while (i < text.Length && IsIgnorable(text[i])) i++;
        if (i < text.Length && !char.IsWhiteSpace(text[i])) return -1;
        // A comma only ends a short opener ("Hey, Think step by step ..."), not a clause of a sentence.
        // The length test first keeps a long line with many commas O(n).
        if (c == ',' && (at - start > MaxOpenerChars || CountWords(text[start..at]) > MaxOpenerWords)) return -1;
        return at + 1;
    }

    /// <summary>The index after a tag <c>&lt;name&gt;</c> or <c>&lt;/name&gt;</c> starting at <paramref name="at"/>, else -1.</summary>
    private static int TagEnd(ReadOnlySpan<char> text, int at)
    {
        int i = at + 1;
        if (i < text.Length && text[i] == '/') i++;
        int nameStart = i;
        while (i < text.Length && i - nameStart <= MaxTagName && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-')) i++;
        if (i == nameStart || i >= text.Length || text[i] != '>' || !char.IsAsciiLetter(text[nameStart])) return -1;
        return i + 1;
    }

    private static int CountWords(ReadOnlySpan<char> span)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in span)
        {
            bool letter = char.IsAsciiLetterOrDigit(c) || (c > 0x7F && char.IsLetterOrDigit(c));
            if (letter && !inWord) words++;
            inWord = letter;
        }
        return words;
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
