/**
 * JSON read the way CPython's `json.loads` reads it, and values printed the way Python's `str()`
 * and `repr()` print them. CVAT builds its filter error messages from both (`can't parse filter
 * expression: <JSONDecodeError>`, `with arguments '<str(args)>'`), so mirroring CVAT's 400 bodies
 * byte for byte needs Python's behaviour, not JavaScript's:
 *
 * - the C scanner's error messages and positions (`Expecting value: line 1 column 1 (char 0)`),
 *   with positions counted in code points as Python counts them;
 * - `NaN`, `Infinity` and `-Infinity` accepted; integers kept apart from floats (`1` vs `1.0`)
 *   and exact (bigint);
 * - objects as insertion-ordered maps (a repeated key keeps its first position and its last
 *   value, like `dict(pairs)`); JavaScript objects would reorder integer-like keys.
 *
 * A nesting bound turns hostile depth into a clean error instead of a stack overflow.
 */

export type PyValue =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'list'; v: PyValue[] }
  | { t: 'dict'; v: Map<string, PyValue> };

/** Python's `json.JSONDecodeError`: `msg` plus where, formatted like `str(err)`. */
export class PyJsonError extends Error {
  constructor(
    readonly msg: string,
    readonly pos: number,
    doc: readonly string[],
  ) {
    let line = 1;
    let lastNewline = -1;
    for (let i = 0; i < pos && i < doc.length; i++) {
      if (doc[i] === '\n') {
        line++;
        lastNewline = i;
      }
    }
    super(`${msg}: line ${line} column ${pos - lastNewline} (char ${pos})`);
  }
}

/** Raised when the nesting bound is exceeded (not a Python behaviour: Python would recurse). */
export class PyJsonTooDeep extends Error {}

/** Python's StopIteration(idx) inside the scanner: "no value starts here". */
class NoValue {
  constructor(readonly pos: number) {}
}

const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const hexValue = (c: string | undefined): number => {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
};

/** `json.loads(text)`; throws PyJsonError (or PyJsonTooDeep past `maxDepth` nested containers). */
export function pyJsonLoads(text: string, maxDepth = 64): PyValue {
  const s = Array.from(text); // code points, as Python indexes strings
  const end = s.length - 1;
  if (s[0] === '\ufeff') throw new PyJsonError('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0, s);

  const skipWs = (i: number) => {
    while (i <= end && isWs(s[i])) i++;
    return i;
  };

  function scanString(start: number): [string, number] {
    // `start` is just after the opening quote
    const begin = start - 1;
    let out = '';
    let i = start;
    for (;;) {
      let c: string | undefined;
      for (; i < s.length; i++) {
        c = s[i] as string;
        if (c === '"' || c === '\\') break;
        if ((c.codePointAt(0) as number) <= 0x1f) throw new PyJsonError('Invalid control character at', i, s);
        out += c;
      }
      if (i >= s.length) throw new PyJsonError('Unterminated string starting at', begin, s);
      c = s[i];
      i++;
      if (c === '"') return [out, i];
      if (i === s.length) throw new PyJsonError('Unterminated string starting at', begin, s);
      const e = s[i];
      if (e !== 'u') {
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        const ch = e !== undefined ? simple[e] : undefined;
        if (ch === undefined) throw new PyJsonError('Invalid \\escape', i - 1, s);
        out += ch;
        i++;
        continue;
      }
      i++;
      let stop = i + 4;
      if (stop >= s.length) throw new PyJsonError('Invalid \\uXXXX escape', i - 1, s);
      let code = 0;
      for (; i < stop; i++) {
        const h = hexValue(s[i]);
        if (h < 0) throw new PyJsonError('Invalid \\uXXXX escape', stop - 5, s);
        code = (code << 4) | h;
      }
      if (code >= 0xd800 && code <= 0xdbff && stop + 6 < s.length && s[i] === '\\' && s[i + 1] === 'u') {
        let j = i + 2;
        stop += 6;
        let low = 0;
        for (; j < stop; j++) {
          const h = hexValue(s[j]);
          if (h < 0) throw new PyJsonError('Invalid \\uXXXX escape', stop - 5, s);
          low = (low << 4) | h;
        }
        if (low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i = j;
        }
      }
      out += String.fromCodePoint(code);
    }
  }

  function matchNumber(start: number): [PyValue, number] {
    let i = start;
    if (s[i] === '-') {
      i++;
      if (i > end) throw new NoValue(start);
    }
    if (s[i] !== undefined && (s[i] as string) >= '1' && (s[i] as string) <= '9') {
      i++;
      while (i <= end && isDigit(s[i])) i++;
    } else if (s[i] === '0') {
      i++;
    } else {
      throw new NoValue(start);
    }
    let isFloat = false;
    if (i < end && s[i] === '.' && isDigit(s[i + 1])) {
      isFloat = true;
      i += 2;
      while (i <= end && isDigit(s[i])) i++;
    }
    if (i < end && (s[i] === 'e' || s[i] === 'E')) {
      const eStart = i;
      i++;
      if (i < end && (s[i] === '-' || s[i] === '+')) i++;
      while (i <= end && isDigit(s[i])) i++;
      if (isDigit(s[i - 1])) isFloat = true;
      else i = eStart;
    }
    const literal = s.slice(start, i).join('');
    return [isFloat ? { t: 'float', v: Number(literal) } : { t: 'int', v: BigInt(literal) }, i];
  }

  const word = (i: number, w: string) => s.slice(i, i + w.length).join('') === w;

  function scanOnce(i: number, depth: number): [PyValue, number] {
    if (i > end) throw new NoValue(i);
    const c = s[i];
    if (c === '"') {
      const [v, next] = scanString(i + 1);
      return [{ t: 'str', v }, next];
    }
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) throw new PyJsonTooDeep();
      return c === '{' ? parseObject(i + 1, depth + 1) : parseArray(i + 1, depth + 1);
    }
    if (c === 'n' && word(i, 'null')) return [{ t: 'none' }, i + 4];
    if (c === 't' && word(i, 'true')) return [{ t: 'bool', v: true }, i + 4];
    if (c === 'f' && word(i, 'false')) return [{ t: 'bool', v: false }, i + 5];
    if (c === 'N' && word(i, 'NaN')) return [{ t: 'float', v: Number.NaN }, i + 3];
    if (c === 'I' && word(i, 'Infinity')) return [{ t: 'float', v: Number.POSITIVE_INFINITY }, i + 8];
    if (c === '-' && word(i, '-Infinity')) return [{ t: 'float', v: Number.NEGATIVE_INFINITY }, i + 9];
    return matchNumber(i);
  }

  function parseObject(start: number, depth: number): [PyValue, number] {
    const map = new Map<string, PyValue>();
    let i = skipWs(start);
    if (i > end || s[i] !== '}') {
      for (;;) {
        if (i > end || s[i] !== '"') throw new PyJsonError('Expecting property name enclosed in double quotes', i, s);
        const [key, afterKey] = scanString(i + 1);
        i = skipWs(afterKey);
        if (i > end || s[i] !== ':') throw new PyJsonError("Expecting ':' delimiter", i, s);
        i = skipWs(i + 1);
        const [value, afterValue] = scanOnce(i, depth);
        map.set(key, value);
        i = skipWs(afterValue);
        if (i <= end && s[i] === '}') break;
        if (i > end || s[i] !== ',') throw new PyJsonError("Expecting ',' delimiter", i, s);
        i = skipWs(i + 1);
      }
    }
    return [{ t: 'dict', v: map }, i + 1];
  }

  function parseArray(start: number, depth: number): [PyValue, number] {
    const list: PyValue[] = [];
    let i = skipWs(start);
    if (i > end || s[i] !== ']') {
      for (;;) {
        const [value, afterValue] = scanOnce(i, depth);
        list.push(value);
        i = skipWs(afterValue);
        if (i <= end && s[i] === ']') break;
        if (i > end || s[i] !== ',') throw new PyJsonError("Expecting ',' delimiter", i, s);
        i = skipWs(i + 1);
      }
    }
    return [{ t: 'list', v: list }, i + 1];
  }

  try {
    const [value, after] = scanOnce(skipWs(0), 0);
    const i = skipWs(after);
    if (i !== s.length) throw new PyJsonError('Extra data', i, s);
    return value;
  } catch (err) {
    if (err instanceof NoValue) throw new PyJsonError('Expecting value', err.pos, s);
    throw err;
  }
}

/** Python truthiness (`not rules`): empty containers, "", 0, 0.0, False and None are false. */
export function pyTruthy(v: PyValue): boolean {
  switch (v.t) {
    case 'none':
      return false;
    case 'bool':
      return v.v;
    case 'int':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0; // NaN is truthy in Python too
    case 'str':
    case 'list':
      return v.v.length > 0;
    case 'dict':
      return v.v.size > 0;
  }
}

/** Python's type name, as `type(x).__name__` prints it. */
export function pyTypeName(v: PyValue): string {
  return { none: 'NoneType', bool: 'bool', int: 'int', float: 'float', str: 'str', list: 'list', dict: 'dict' }[v.t];
}

/** `repr(float)`: the shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  const decpt = exp + 1; // value = 0.<digits> × 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

// str.isprintable(): everything but the categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (except space).
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(str)`: single quotes unless the text holds a single quote and no double quote. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      out +=
        code < 0x100
          ? `\\x${code.toString(16).padStart(2, '0')}`
          : code < 0x10000
            ? `\\u${code.toString(16).padStart(4, '0')}`
            : `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** `repr(value)` */
export function pyRepr(v: PyValue): string {
  switch (v.t) {
    case 'none':
      return 'None';
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'int':
      return v.v.toString();
    case 'float':
      return pyFloatRepr(v.v);
    case 'str':
      return pyStrRepr(v.v);
    case 'list':
      return `[${v.v.map(pyRepr).join(', ')}]`;
    case 'dict':
      return `{${[...v.v].map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
}

/** `str(value)`: like repr, except that a string prints as itself. */
export function pyStr(v: PyValue): string {
  return v.t === 'str' ? v.v : pyRepr(v);
}
