/**
 * A small structural check for regex sources that can backtrack catastrophically. It is deliberately
 * conservative: a group repeated without bound (`+`, `*`, `{n,}`) may not contain a quantifier or an
 * alternation, which rules out `(x+)+`, `(x*)*`, `(a|a)*` and friends. Bounded repeats such as
 * `(?:[A-Z][a-z]+ ){1,4}` stay allowed (their cost is polynomial with a small fixed degree).
 * It also enforces what the combined scanner needs: no capturing groups and no back-references
 * (named groups are allowed only where the caller says so).
 */
export interface RegexShapeProblem {
  message: string;
  index: number;
}

interface Frame {
  start: number;
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

export function findUnsafeShape(source: string, options: { allowNamedGroups?: boolean; allowCapturingGroups?: boolean } = {}): RegexShapeProblem | null {
  const stack: Frame[] = [{ start: 0, hasQuantifier: false, hasAlternation: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return { message: 'back-reference', index: i };
      if (!inClass && next === 'k') return { message: 'named back-reference', index: i };
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      if (source[i + 1] !== '?') {
        if (!options.allowCapturingGroups) return { message: 'capturing group: use (?:…)', index: i };
        stack.push({ start: i, hasQuantifier: false, hasAlternation: false });
        continue;
      }
      const kind = source.slice(i + 2, i + 4);
      const named = kind[0] === '<' && kind[1] !== '=' && kind[1] !== '!';
      if (named && !options.allowNamedGroups) return { message: 'named group', index: i };
      stack.push({ start: i, hasQuantifier: false, hasAlternation: false });
      // Skip the group prefix so its `?` is not read as a quantifier.
      if (named) i = source.indexOf('>', i);
      else i += kind[0] === '<' ? 3 : 2;
      if (i < 0) return { message: 'unterminated group name', index: source.length };
      continue;
    }
    if (c === ')') {
      const frame = stack.pop();
      const parent = stack[stack.length - 1];
      if (!frame || !parent) return { message: 'unbalanced )', index: i };
      const q = quantifierAt(source, i + 1);
      if (q.unbounded && (frame.hasQuantifier || frame.hasAlternation)) {
        return { message: 'nested quantifier: a group repeated without bound contains a quantifier or alternation', index: frame.start };
      }
      parent.hasQuantifier ||= frame.hasQuantifier || q.variable;
      parent.hasAlternation ||= frame.hasAlternation;
      continue;
    }
    const top = stack[stack.length - 1]!;
    if (c === '|') top.hasAlternation = true;
    else if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (quantifierAt(source, i).variable) top.hasQuantifier = true;
    }
  }
  if (stack.length !== 1) return { message: 'unbalanced (', index: source.length };
  return null;
}

/** `variable`: the repeat count can vary (`{3}` cannot, so `(?:,\d{3})+` stays allowed). */
function quantifierAt(source: string, i: number): { variable: boolean; unbounded: boolean } {
  const c = source[i];
  if (c === '*' || c === '+') return { variable: true, unbounded: true };
  if (c === '?') return { variable: true, unbounded: false };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 20));
    if (!m) return { variable: false, unbounded: false };
    return { variable: m[2] !== undefined, unbounded: m[2] !== undefined && m[3] === '' };
  }
  return { variable: false, unbounded: false };
}
