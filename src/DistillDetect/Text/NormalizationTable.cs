using System.Globalization;

namespace DistillDetect.Text;

/// <summary>
/// The per-character decision table of <see cref="PromptNormalizer"/> for the Basic Multilingual Plane,
/// built once at type initialization (about 1 ms, 256 KB) from hand-written mappings, so the hot loop is
/// one array load per character and the output never depends on the machine's ICU version.
/// </summary>
/// <remarks>
/// Each entry is <c>kind &lt;&lt; 16 | value</c>. For <see cref="Word"/> and <see cref="Digit"/> the value is the
/// final output character; for <see cref="Expand"/> it indexes <see cref="Expansions"/>. Every output
/// character is a fixed point of the table (its own entry maps it to itself), which is what makes
/// normalization idempotent; a test checks this for all 65,536 code units.
/// </remarks>
internal static class NormalizationTable
{
    internal const uint Word = 0;
    internal const uint Digit = 1;
    internal const uint Separator = 2;
    internal const uint Drop = 3;
    internal const uint Expand = 4;
    internal const uint HighSurrogate = 5;
    internal const uint LowSurrogate = 6;

    /// <summary>Longest output (in UTF-16 units) that one input UTF-16 unit can produce, separator included.</summary>
    internal const int MaxExpansion = 4;

    internal static readonly uint[] Entries = new uint[65536];
    internal static readonly string[] Expansions;

    static NormalizationTable()
    {
        var map = BuildMappings();
        var expansions = new List<string>();
        Span<char> finals = stackalloc char[8];
        Span<uint> kinds = stackalloc uint[8];
        for (int c = 0; c < 65536; c++)
        {
            char ch = (char)c;
            if (char.IsHighSurrogate(ch)) { Entries[c] = HighSurrogate << 16; continue; }
            if (char.IsLowSurrogate(ch)) { Entries[c] = LowSurrogate << 16; continue; }
            if (IsDropped(ch)) { Entries[c] = Drop << 16; continue; }
            string replacement = map.TryGetValue(ch, out string? r) ? r : ch.ToString();
            int count = 0;
            foreach (char x in replacement)
            {
                char y = Chain(x, map);
                uint kind = Classify(y);
                if (kind == Drop) continue;
                finals[count] = kind == Separator ? ' ' : y;
                kinds[count] = kind;
                count++;
            }
            if (count == 0) Entries[c] = Drop << 16;
            else if (count == 1) Entries[c] = kinds[0] << 16 | finals[0];
            else
            {
                Entries[c] = Expand << 16 | (uint)expansions.Count;
                expansions.Add(new string(finals[..count]));
            }
        }
        Expansions = [.. expansions];
    }

    /// <summary>Follows single-character mappings and lower-casing to a fixed point.</summary>
    private static char Chain(char x, Dictionary<char, string> map)
    {
        for (int i = 0; i < 8; i++)
        {
            char y = map.TryGetValue(x, out string? r) && r.Length == 1 ? r[0] : x;
            y = char.ToLowerInvariant(y);
            if (y == x) return x;
            x = y;
        }
        return x;
    }

    internal static uint Classify(char y)
    {
        if (y < 128)
        {
            if ((uint)(y - 'a') <= 'z' - 'a' || (uint)(y - 'A') <= 'Z' - 'A') return Word;
            if ((uint)(y - '0') <= 9) return Digit;
            return Separator;
        }
        if (IsDropped(y)) return Drop;
        return ClassifyCategory(CharUnicodeInfo.GetUnicodeCategory(y));
    }

    internal static uint ClassifyCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.DecimalDigitNumber => Digit,
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Control
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => Separator,
        UnicodeCategory.Format => Drop,
        _ => Word,
    };

    /// <summary>Invisible characters an evader slips into words: removed without splitting the word.</summary>
    internal static bool IsDropped(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format // U+00AD, U+200B..U+200F, U+202A..U+202E, U+2060..U+206F, U+FEFF, U+061C, ...
        || c is (>= '\u0300' and <= '\u036F')   // combining diacritical marks (accents, Zalgo, U+034F grapheme joiner)
        || c is (>= '\u1AB0' and <= '\u1AFF') or (>= '\u1DC0' and <= '\u1DFF')
        || c is (>= '\u20D0' and <= '\u20FF') or (>= '\uFE20' and <= '\uFE2F')
        || c is (>= '\uFE00' and <= '\uFE0F')   // variation selectors
        || c is (>= '\u180B' and <= '\u180F')   // Mongolian free variation selectors and vowel separator
        || c is '\u115F' or '\u1160' or '\u3164' or '\uFFA0' // Hangul fillers (render blank)
        || c is '\u17B4' or '\u17B5';            // Khmer inherent vowels (render blank)

    /// <summary>
    /// Hand-written mappings: the NFKC compatibility decompositions of the blocks evaders use, accent
    /// stripping (NFD minus marks) for Latin, Greek and Cyrillic, and look-alike letters mapped to ASCII in
    /// the spirit of the Unicode TS #39 skeleton. Written from knowledge of the characters, not generated
    /// from Unicode data files.
    /// </summary>
    private static Dictionary<char, string> BuildMappings()
    {
        var m = new Dictionary<char, string>();
        void Pairs(string from, string to)
        {
            if (from.Length != to.Length) throw new InvalidOperationException("mapping table length mismatch: " + from);
            for (int i = 0; i < from.Length; i++)
                if (to[i] != '\0') m[from[i]] = to[i].ToString();
        }
        void Range(int first, int last, char target)
        {
            for (int c = first; c <= last; c++) m[(char)c] = ((char)(target + c - first)).ToString();
        }

        // Fullwidth ASCII (NFKC): U+FF01..U+FF5E -> U+0021..U+007E; ideographic space is a Zs separator anyway.
        Range(0xFF01, 0xFF5E, '!');

        // Latin-1 Supplement: NFKC and accent stripping; expansions for ligature letters.
        Pairs("\u00AA\u00BA\u00B2\u00B3\u00B9\u00B5", "ao231\u03BC");
        Pairs("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿ",
              "AAAAAACEEEEIIIIDNOOOOOOUUUUYaaaaaaceeeeiiiidnoooooouuuuyy");
        m['Æ'] = "AE"; m['æ'] = "ae"; m['ß'] = "ss"; m['\u1E9E'] = "ss";
        m['\u00BC'] = "1\u20444"; m['\u00BD'] = "1\u20442"; m['\u00BE'] = "3\u20444";

        // Latin Extended-A U+0100..U+017F in code point order ('\0' = expansion below).
        const string extA =
            "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi" + "\0\0" + "JjKkkLlLlLlLlLlNnNnNn" + "n" + "Nn" +
            "OoOoOo" + "\0\0" + "RrRrRr" + "SsSsSsSs" + "TtTtTt" + "UuUuUuUuUuUu" + "Ww" + "YyY" + "ZzZzZz" + "s";
        for (int i = 0; i < extA.Length; i++)
            if (extA[i] != '\0') m[(char)(0x100 + i)] = extA[i].ToString();
        m['\u0132'] = "IJ"; m['\u0133'] = "ij"; m['\u0152'] = "OE"; m['\u0153'] = "oe";
        // Latin Extended-B / IPA look-alikes and small capitals (TS #39 style).
        Pairs("\u0180\u0188\u018A\u0192\u0196\u0197\u0199\u019A\u01A5\u01AB\u01AD\u01B4\u01B6\u0237\u0251\u0261\u0269\u026A\u0271\u0272\u0273\u0274\u027E\u0280\u028B\u028F\u0299\u029C\u029F\u0262",
              "bcDflIklpttyzjagiimnnnrrvybhlg");
        Pairs("\u1D00\u1D04\u1D05\u1D07\u1D0A\u1D0B\u1D0D\u1D0F\u1D18\u1D1B\u1D1C\u1D20\u1D21\u1D22\uA731",
              "acdejkmoptuvwzs");
        // Modifier letters (NFKC): superscript-style Latin letters.
        Pairs("\u02B0\u02B2\u02B3\u02B7\u02B8\u02E1\u02E2\u02E3",
              "hjrwylsx");
        Pairs("\u1D2C\u1D2E\u1D30\u1D31\u1D33\u1D34\u1D35\u1D36\u1D37\u1D38\u1D39\u1D3A\u1D3C\u1D3E\u1D3F\u1D40\u1D41\u1D42" +
              "\u1D43\u1D47\u1D48\u1D49\u1D4D\u1D4F\u1D50\u1D52\u1D56\u1D57\u1D58\u1D5B\u1D62\u1D63\u1D64\u1D65\u1D9C\u1DA0\u1DBB",
              "ABDEGHIJKLMNOPRTUWabdegkmoptuviruvcfz");

        // Greek: accent stripping (tonos, dialytika), compatibility forms, then look-alikes of ASCII letters.
        Pairs("\u0386\u0388\u0389\u038A\u038C\u038E\u038F\u0390\u03AA\u03AB\u03AC\u03AD\u03AE\u03AF\u03B0\u03CA\u03CB\u03CC\u03CD\u03CE",
              "\u0391\u0395\u0397\u0399\u039F\u03A5\u03A9\u03B9\u0399\u03A5\u03B1\u03B5\u03B7\u03B9\u03C5\u03B9\u03C5\u03BF\u03C5\u03C9");
        Pairs("\u03D0\u03D1\u03D2\u03D5\u03D6\u03F0\u03F1\u03F4\u03F5\u03F2\u03F9\u03F3\u037E\u0387",
              "\u03B2\u03B8Y\u03C6\u03C0\u03BA\u03C1\u0398\u03B5cCj;\u00B7");
        Pairs("\u0391\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03A1\u03A4\u03A5\u03A7",
              "ABEZHIKMNOPTYX");
        Pairs("\u03B1\u03B3\u03B5\u03B9\u03BA\u03BD\u03BF\u03C1\u03C4\u03C5\u03C7\u03B7",
              "ayeikvoptuxn");

        // Cyrillic: accent stripping, then look-alikes of ASCII letters (upper and lower case).
        Pairs("\u0400\u0401\u0403\u0407\u040C\u040D\u040E\u0419\u0439\u0450\u0451\u0453\u0457\u045C\u045D\u045E\u04D0\u04D1\u04D2\u04D3\u04E6\u04E7",
              "\u0415\u0415\u0413\u0406\u041A\u0418\u0423\u0418\u0438\u0435\u0435\u0433\u0456\u043A\u0438\u0443\u0410\u0430\u0410\u0430\u041E\u043E");
        Pairs("\u0410\u0412\u0415\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0423\u0425\u0405\u0406\u0408\u051A\u051C\u04AE\u04BA\u04C0\u0500\u0474\u042C",
              "ABEKMHOPCTYXSIJQWYHldVb");
        Pairs("\u0430\u0432\u0435\u043A\u043C\u043D\u043E\u0440\u0441\u0442\u0443\u0445\u0455\u0456\u0458\u051B\u051D\u04AF\u04BB\u04CF\u0501\u0475\u044C\u0261",
              "abekmhopctyxsijqwyhldvbg");

        // Alphabetic presentation forms (NFKC ligatures).
        m['\uFB00'] = "ff"; m['\uFB01'] = "fi"; m['\uFB02'] = "fl"; m['\uFB03'] = "ffi"; m['\uFB04'] = "ffl";
        m['\uFB05'] = "st"; m['\uFB06'] = "st";

        // Superscripts and subscripts (NFKC).
        Pairs("\u2070\u2071\u2074\u2075\u2076\u2077\u2078\u2079\u207F", "0i456789n");
        Range(0x2080, 0x2089, '0');
        Pairs("\u2090\u2091\u2092\u2093\u2095\u2096\u2097\u2098\u2099\u209A\u209B\u209C", "aeoxhklmnpst");

        // Letterlike symbols (NFKC).
        Pairs("\u2102\u210A\u210B\u210C\u210D\u210E\u2110\u2111\u2112\u2113\u2115\u2119\u211A\u211B\u211C\u211D\u2124\u2128\u212A\u212B\u212C\u212D\u212F\u2130\u2131\u2133\u2134\u2139\u2145\u2146\u2147\u2148\u2149\u2126",
              "CgHHHhIILlNPQRRRZZKABCeEFMoiDdeij\u03A9");
        m['\u2116'] = "No"; m['\u2122'] = "TM"; m['\u2120'] = "SM";

        // Roman numerals (NFKC), upper and lower case.
        string[] roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D", "M"];
        for (int i = 0; i < roman.Length; i++)
        {
            m[(char)(0x2160 + i)] = roman[i];
            m[(char)(0x2170 + i)] = roman[i].ToLowerInvariant();
        }

        // Enclosed alphanumerics (NFKC for circled, parenthesized and full-stop forms; look-alike for negative circled).
        for (int i = 0; i < 20; i++)
        {
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            m[(char)(0x2460 + i)] = n;                // circled 1..20
            m[(char)(0x2474 + i)] = "(" + n + ")";    // parenthesized 1..20
            m[(char)(0x2488 + i)] = n + ".";          // full stop 1..20
        }
        for (int i = 0; i < 26; i++)
        {
            m[(char)(0x249C + i)] = "(" + (char)('a' + i) + ")";
            m[(char)(0x24B6 + i)] = ((char)('A' + i)).ToString();
            m[(char)(0x24D0 + i)] = ((char)('a' + i)).ToString();
        }
        m['\u24EA'] = "0"; m['\u24FF'] = "0";
        for (int i = 0; i < 10; i++) m[(char)(0x24EB + i)] = (11 + i).ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < 10; i++)
        {
            string n = (i + 1).ToString(CultureInfo.InvariantCulture);
            m[(char)(0x24F5 + i)] = n; // double circled
            m[(char)(0x2776 + i)] = n; // dingbat negative circled
            m[(char)(0x2780 + i)] = n; // dingbat circled sans-serif
            m[(char)(0x278A + i)] = n; // dingbat negative circled sans-serif
        }
        return m;
    }
}
