/**
 * V8 compiles each regular expression twice, once for one-byte (Latin-1) subjects and once for two-byte ones, and
 * past about 16 MB of executable memory it stops optimising the regular expressions it compiles next (the
 * TooMuchRegExpCode heuristic in src/regexp/regexp.cc), which measured here made the matcher 3 to 5 times slower
 * inside the app process than in the benchmark. The rule lists are compiled large, so the matcher keeps every
 * subject one-byte: the few characters above U+00FF that the rules name (curly quotes, dashes, €, the Welsh ŵ and ŷ)
 * get codes of their own in U+0080–U+009F (C1 controls), each in rule sources and texts alike, and the rest, C1
 * controls a mis-decoded page may hold included, become a stand-in no rule names. Every character keeps its offset,
 * so hits index the original text.
 */
const NAMED = '’‘“”–—€ŵŷ';
const STAND_IN = '\x9f';
/** Unicode spaces above U+00FF keep matching `\s`; line and paragraph separators stay line terminators for `.`. */
const SPACES = /[\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/;
const LINE_TERMINATORS = /[\u2028\u2029]/;

/** Latin-1 characters other than the C1 controls stand for themselves. */
const keeps = (code: number) => code < 0x80 || (code > 0x9f && code < 0x100);

const codeOf = new Map<string, string>();
[...NAMED].forEach((c, i) => {
  const code = String.fromCharCode(0x80 + i);
  for (const variant of [c, c.toUpperCase(), c.toLowerCase()]) if (variant.length === 1) codeOf.set(variant, code);
});

/** A rule source with the named characters written as their codes (`\xHH`); throws on any other above U+00FF or a C1 control. */
export function oneBytePattern(source: string): string {
  let out = '';
  for (const c of source) {
    if (keeps(c.charCodeAt(0))) {
      out += c;
      continue;
    }
    const code = c.charCodeAt(0) >= 0x100 ? codeOf.get(c) : undefined;
    if (!code) throw new Error(`the character ${c} (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) is not one the matcher maps to one byte (one-byte-subject.ts)`);
    out += `\\x${code.charCodeAt(0).toString(16)}`;
  }
  return out;
}

/** What the subject must replace: characters above U+00FF, and C1 controls (which rule codes would otherwise match). */
const TO_REPLACE = /[\u0080-\u009f\u0100-\uffff]/;
/** The last few texts and their subjects: a clause, its lead-in and its sentences are scanned in turn by many lists. */
const recent: { text: string; subject: string }[] = [];
const RECENT = 4;

/** The text as the compiled rules read it: the same length, every character below U+0100. */
export function oneByteSubject(text: string): string {
  for (const r of recent) if (r.text === text) return r.subject;
  let subject = text;
  if (TO_REPLACE.test(text)) {
    // Written byte by byte and read back as Latin-1, so the result is a one-byte string (joining slices of a
    // two-byte string would give a two-byte one).
    const bytes = Buffer.allocUnsafe(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      bytes[i] = keeps(code) ? code : toOneByte(text[i]!).charCodeAt(0);
    }
    subject = bytes.toString('latin1');
  }
  if (recent.unshift({ text, subject }) > RECENT) recent.pop();
  return subject;
}

function toOneByte(c: string): string {
  return codeOf.get(c) ?? oneByteStandIn(c);
}

function oneByteStandIn(c: string): string {
  if (c.charCodeAt(0) < 0x100) return STAND_IN;
  if (SPACES.test(c)) return ' ';
  if (LINE_TERMINATORS.test(c)) return '\n';
  const lower = c.toLowerCase();
  return lower.length === 1 && lower.charCodeAt(0) < 0x100 ? lower : STAND_IN;
}
