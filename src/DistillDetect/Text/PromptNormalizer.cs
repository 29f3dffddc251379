using System.Buffers;

namespace DistillDetect.Text;

/// <summary>
/// Folds the differences an evader uses to make copies of a prompt look different, so that copies
/// normalize to the same text. Deterministic: the same input gives the same output on every machine
/// (no culture, no ICU: all tables are in this library).
/// </summary>
/// <remarks>
/// <para>Folds, per character, in this order:</para>
/// <list type="number">
/// <item>Compatibility forms (NFKC) of the blocks evaders use, implemented in code rather than with
/// <see cref="string.Normalize()"/> (which allocates and depends on the machine's ICU version): fullwidth
/// ASCII, ligatures (U+FB00..U+FB06), mathematical alphanumerics (U+1D400..U+1D7FF), enclosed and circled
/// letters and numbers, superscripts and subscripts, modifier letters, letterlike symbols, Roman numerals,
/// vulgar fractions. Other compatibility characters (e.g. CJK squared words, Arabic presentation forms)
/// pass through unchanged.</item>
/// <item>Accents: precomposed Latin, Greek and Cyrillic letters lose their diacritics (é -> e, ά -> α,
/// ё -> е) and combining marks (U+0300..U+036F and the other combining-diacritics blocks) are removed.</item>
/// <item>Look-alike letters (Unicode TS #39 skeleton spirit): Cyrillic, Greek, small-capital and IPA letters
/// that look like ASCII letters become those letters (Cyrillic 'а' -> 'a', Greek 'Ο' -> 'o', 'ɑ' -> 'a').</item>
/// <item>Case: invariant simple lower-casing.</item>
/// <item>Invisible characters are removed without splitting the word: every format character (Cf: soft
/// hyphen, U+200B..U+200F, bidi controls U+202A..U+202E and U+2066..U+2069, U+2060, U+FEFF, U+061C, tag
/// characters), variation selectors (U+FE00..U+FE0F, U+E0100..U+E01EF) and blank fillers.</item>
/// <item>Separators: whitespace, control characters, punctuation (P*) and symbols (S*, emoji included)
/// all separate words; every run of them becomes one ASCII space, and the text is trimmed. So
/// "Hello,   world!!!" and "hello - world" both become "hello world".</item>
/// <item>Optionally (<see cref="NormalizationOptions.MaskNumbers"/>) each digit run becomes "0".</item>
/// </list>
/// <para>Ill-formed UTF-16: a lone surrogate is read as U+FFFD (a symbol), so it separates words; nothing
/// throws and the output is always well-formed UTF-16. Normalization is idempotent.</para>
/// <para>Thread safety: all members are static and thread-safe.</para>
/// </remarks>
public static class PromptNormalizer
{
    private const int StackLimit = 1024;

    /// <summary>
    /// The destination length (in chars) that always suffices for <see cref="Normalize(ReadOnlySpan{char}, Span{char}, NormalizationOptions)"/>:
    /// 4 x <paramref name="sourceLength"/> (the longest expansion of one UTF-16 unit, e.g. U+2167 "viii").
    /// Most text normalizes to at most its own length. O(1).
    /// </summary>
    /// <param name="sourceLength">Source length in UTF-16 code units.</param>
    /// <returns>An upper bound on the normalized length.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sourceLength"/> is negative or the bound exceeds <see cref="Array.MaxLength"/>.</exception>
    public static int GetMaxNormalizedLength(int sourceLength)
    {
        if ((uint)sourceLength > (uint)(Array.MaxLength / NormalizationTable.MaxExpansion))
            TextGuard.ArgumentOutOfRange(nameof(sourceLength), "must be between 0 and Array.MaxLength / 4.");
        return sourceLength * NormalizationTable.MaxExpansion;
    }

    /// <summary>
    /// Normalizes <paramref name="source"/> into <paramref name="destination"/>. O(n), no allocation.
    /// </summary>
    /// <param name="source">The prompt, any UTF-16 (ill-formed input is accepted).</param>
    /// <param name="destination">Receives the normalized text; <see cref="GetMaxNormalizedLength"/> chars always suffice.</param>
    /// <param name="options">Optional folds.</param>
    /// <returns>The number of chars written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small for this input.</exception>
#pragma warning disable RS0026 // the contract fixes both overloads with an optional options argument; they differ in the first parameter's type, so no call is ambiguous
    public static int Normalize(ReadOnlySpan<char> source, Span<char> destination, NormalizationOptions options = NormalizationOptions.None)
    {
        int written = NormalizerCore.TryNormalize(source, destination, options);
        if (written < 0)
            TextGuard.Argument(nameof(destination), "is too small for the normalized text; size it with GetMaxNormalizedLength.");
        return written;
    }

    /// <summary>
    /// Normalizes a string. Returns <paramref name="text"/> itself when it is already normalized, otherwise
    /// allocates only the result (work buffers come from the stack or <see cref="ArrayPool{T}"/>). O(n).
    /// </summary>
    /// <param name="text">The prompt.</param>
    /// <param name="options">Optional folds.</param>
    /// <returns>The normalized text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static string Normalize(string text, NormalizationOptions options = NormalizationOptions.None)
#pragma warning restore RS0026
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= StackLimit)
        {
            Span<char> buffer = stackalloc char[StackLimit + 16];
            int written = NormalizerCore.TryNormalize(text, buffer, options);
            if (written >= 0) return Result(text, buffer[..written]);
        }
        char[] rented = ArrayPool<char>.Shared.Rent(text.Length + 16);
        try
        {
            int written = NormalizerCore.TryNormalize(text, rented, options);
            if (written >= 0) return Result(text, rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        rented = ArrayPool<char>.Shared.Rent(GetMaxNormalizedLength(text.Length));
        try
        {
            return Result(text, rented.AsSpan(0, NormalizerCore.TryNormalize(text, rented, options)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string Result(string text, ReadOnlySpan<char> normalized) =>
        normalized.SequenceEqual(text) ? text : new string(normalized);
}
