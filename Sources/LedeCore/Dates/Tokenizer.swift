/// One token of prose: a word, a number or a punctuation mark, with its byte
/// range and what the word tables know about it.
struct Tok {
    enum Kind: UInt8 { case word = 1, number, punct }

    var start: Int32
    var end: Int32
    var kind: Kind
    /// Punctuation: the ASCII mark (curly quotes and apostrophes folded to
    /// ASCII, hyphens and en dashes to `-`, em dash `M`, ellipsis `E`).
    var ch: UInt8
    /// White space before the token: 0 none, 1 spaces, 2 a line break, 3 a blank line.
    var gap: UInt8
    /// Words: bit 1 first letter capital, bit 2 all capitals (2+ letters).
    /// Numbers: the digit count (without grouping commas).
    var shape: UInt8
    /// Lexicon entry (0 = not a known word).
    var lex: UInt16
    /// Numbers: the value (saturating), with `grouped` when written with commas.
    var num: Int32
    var grouped: Bool

    @inline(__always) var isWord: Bool { kind == .word }
    @inline(__always) var isNumber: Bool { kind == .number }
    @inline(__always) var isPunct: Bool { kind == .punct }
    @inline(__always) var isCapitalized: Bool { kind == .word && shape & 1 != 0 }
    @inline(__always) var isAllCaps: Bool { kind == .word && shape & 2 != 0 }
    @inline(__always) var digits: Int { kind == .number ? Int(shape) : 0 }
    @inline(__always) var length: Int { Int(end - start) }
}

enum Tokenizer {
    /// Byte classes: 0 other symbol, 1 lowercase, 2 uppercase, 3 digit, 4 space, 5 line break, 6 punctuation, 7 UTF-8 lead, 8 continuation.
    static let classes: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = 1 }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] = 2 }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] = 3 }
        t[0x20] = 4; t[0x09] = 4; t[0x0B] = 4; t[0x0C] = 4
        t[0x0A] = 5; t[0x0D] = 5
        for c in ".,;:!?'\"()[]{}-/\\$%#&*+=<>@^_`|~".utf8 { t[Int(c)] = 6 }
        for c in 0x80...0xBF { t[c] = 8 }
        for c in 0xC0...0xFF { t[c] = 7 }
        return t
    }()

    /// Splits UTF-8 text into tokens (appending to `out`, which is cleared first).
    static func tokenize(_ p: UnsafeBufferPointer<UInt8>, into out: inout [Tok]) {
        out.removeAll(keepingCapacity: true)
        let n = p.count
        // Prose has about one token for every five bytes; growing the array as we go costs copies.
        out.reserveCapacity(n / 4 + 16)
        guard n > 0, let base = p.baseAddress else { return }
        let slots = Lexicon.slots, values = Lexicon.values
        let mask = slots.count - 1
        slots.withUnsafeBufferPointer { slots in values.withUnsafeBufferPointer { values in
        classes.withUnsafeBufferPointer { cls in
            /// The lexicon entry of a packed word key (0 when unknown).
            @inline(__always) func lookup(_ key: UInt64) -> UInt16 {
                var h = Lexicon.hash(key) & mask
                while true {
                    let k = slots[h]
                    if k == key { return values[h] }
                    if k == 0 { return 0 }
                    h = (h + 1) & mask
                }
            }
            var i = 0
            var gap: UInt8 = 0
            var newlines = 0
            while i < n {
                let b = base[i]
                let c = cls[Int(b)]
                switch c {
                case 1, 2:
                    // A word: ASCII letters, and non-ASCII letters.
                    let s = i
                    var key: UInt64 = 0
                    var letters = 0
                    var upper = 0
                    var packable = true
                    while i < n {
                        let bb = base[i]
                        let cc = cls[Int(bb)]
                        if cc == 1 {
                            if letters < 12 { key = (key << 5) | UInt64(bb - 0x60) }
                            letters += 1; i += 1
                        } else if cc == 2 {
                            if letters < 12 { key = (key << 5) | UInt64(bb + 0x20 - 0x60) }
                            letters += 1; upper += 1; i += 1
                        } else if cc == 7 {
                            let (_, len, kind) = decode(base, i, n)
                            if kind != 0 { break }
                            packable = false
                            letters += 1
                            i += len
                        } else { break }
                    }
                    var shape: UInt8 = c == 2 ? 1 : 0
                    if upper == letters && letters > 1 { shape |= 2 }
                    let lex = packable && letters <= 15 ? lookup(key | (UInt64(letters) << 60)) : 0
                    out.append(Tok(start: Int32(s), end: Int32(i), kind: .word, ch: 0, gap: gap, shape: shape,
                                   lex: lex, num: -1, grouped: false))
                    gap = 0; newlines = 0
                case 3:
                    let s = i
                    var v: Int64 = 0
                    var d = 0
                    var grouped = false
                    while i < n, base[i] >= 0x30, base[i] <= 0x39 {
                        if v < 1_000_000_000 { v = v * 10 + Int64(base[i] - 0x30) }
                        d += 1; i += 1
                    }
                    // Thousands groups: 1,500 or 12,000,000.
                    if d <= 3 {
                        while i + 3 < n, base[i] == 0x2C, isDigit(base, i + 1, n), isDigit(base, i + 2, n),
                              isDigit(base, i + 3, n), !isDigit(base, i + 4, n) {
                            for k in 1...3 where v < 1_000_000_000 { v = v * 10 + Int64(base[i + k] - 0x30) }
                            d += 3; i += 4; grouped = true
                        }
                    }
                    out.append(Tok(start: Int32(s), end: Int32(i), kind: .number, ch: 0, gap: gap, shape: UInt8(min(d, 255)),
                                   lex: 0, num: Int32(min(v, Int64(Int32.max))), grouped: grouped))
                    gap = 0; newlines = 0
                case 4:
                    if gap == 0 { gap = 1 }
                    i += 1
                case 5:
                    if b == 0x0D, i + 1 < n, base[i + 1] == 0x0A { i += 1 }
                    newlines += 1
                    gap = newlines >= 2 ? 3 : 2
                    i += 1
                case 6, 0:
                    var ch = b
                    if b == 0x60 { ch = 0x27 }  // backtick used as an opening quote
                    out.append(Tok(start: Int32(i), end: Int32(i + 1), kind: .punct, ch: ch, gap: gap, shape: 0,
                                   lex: 0, num: -1, grouped: false))
                    gap = 0; newlines = 0
                    i += 1
                case 7:
                    let (ch, len, kind) = decode(base, i, n)
                    if kind == 1 {  // white space
                        if gap == 0 { gap = 1 }
                        i += len
                    } else if kind == 2 {
                        out.append(Tok(start: Int32(i), end: Int32(i + len), kind: .punct, ch: ch, gap: gap, shape: 0,
                                       lex: 0, num: -1, grouped: false))
                        gap = 0; newlines = 0
                        i += len
                    } else {
                        // A word that starts with a non-ASCII letter.
                        let s = i
                        i += len
                        while i < n {
                            let cc = cls[Int(base[i])]
                            if cc == 1 || cc == 2 { i += 1; continue }
                            if cc == 7 {
                                let (_, l2, k2) = decode(base, i, n)
                                if k2 != 0 { break }
                                i += l2; continue
                            }
                            break
                        }
                        out.append(Tok(start: Int32(s), end: Int32(i), kind: .word, ch: 0, gap: gap, shape: 0,
                                       lex: 0, num: -1, grouped: false))
                        gap = 0; newlines = 0
                    }
                default:
                    // A stray continuation byte (invalid UTF-8): skip it.
                    i += 1
                }
            }
        }
        } }
    }

    @inline(__always)
    static func isDigit(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Bool {
        i < n && base[i] >= 0x30 && base[i] <= 0x39
    }

    /// Decodes the character at a UTF-8 lead byte: (ASCII stand-in, length,
    /// kind 0 letter / 1 white space / 2 punctuation).
    @inline(__always)
    static func decode(_ base: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt8, Int, UInt8) {
        let b0 = base[i]
        var len = 1
        if b0 >= 0xF0 { len = 4 } else if b0 >= 0xE0 { len = 3 } else if b0 >= 0xC0 { len = 2 }
        var k = 1
        while k < len {
            if i + k >= n || base[i + k] & 0xC0 != 0x80 { return (0, k, 0) }
            k += 1
        }
        if len == 2 {
            let cp = (UInt32(b0 & 0x1F) << 6) | UInt32(base[i + 1] & 0x3F)
            switch cp {
            case 0xA0: return (0x20, 2, 1)
            case 0xAB, 0xBB: return (0x22, 2, 2)
            case 0xA1...0xBF, 0xD7, 0xF7: return (0x2A, 2, 2)  // ¡ ¢ £ ... symbols, ×, ÷
            default: return (0, 2, 0)
            }
        }
        if len == 3 {
            let cp = (UInt32(b0 & 0x0F) << 12) | (UInt32(base[i + 1] & 0x3F) << 6) | UInt32(base[i + 2] & 0x3F)
            switch cp {
            case 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return (0x20, 3, 1)
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2212: return (0x2D, 3, 2)   // hyphens, en dash, minus
            case 0x2014, 0x2015: return (0x4D, 3, 2)                          // em dash
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: return (0x27, 3, 2)  // single quotes, prime
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033: return (0x22, 3, 2)  // double quotes
            case 0x2026: return (0x45, 3, 2)                                  // ellipsis
            case 0x2000...0x206F, 0x20A0...0x20CF, 0x2100...0x2BFF, 0x3001...0x303F, 0xFE30...0xFE4F, 0xFF01...0xFF0F:
                return (0x2A, 3, 2)
            case 0xFEFF: return (0x20, 3, 1)
            default: return (0, 3, 0)
            }
        }
        if len == 4 { return (0x2A, 4, 2) }  // emoji and other astral symbols
        return (0, 1, 0)
    }
}
