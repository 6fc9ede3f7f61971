/**
 * pydantic's `UUID` field: the forms the Rust `uuid` crate parses (simple, hyphenated, `{braced}`,
 * `urn:uuid:`), and on failure that crate's explanation, as pydantic 2.x up to 2.12 words it.
 */

const hex = /^[0-9a-fA-F]$/;
const groupStarts = [0, 9, 14, 19, 24];
const groupLengths = [8, 4, 4, 4, 12];

function canonical(digits: string): string {
  const d = digits.toLowerCase();
  return `${d.slice(0, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}-${d.slice(16, 20)}-${d.slice(20)}`;
}

function hyphenated(text: string): string | undefined {
  if ([8, 13, 18, 23].some((i) => text[i] !== '-')) return undefined;
  const digits = text.replaceAll('-', '');
  return digits.length === 32 && [...digits].every((c) => hex.test(c)) ? canonical(digits) : undefined;
}

function explain(failed: string): string {
  let inner = failed;
  let offset = 0;
  let simple = true;
  if (failed.length >= 2 && failed.startsWith('{') && failed.endsWith('}')) {
    inner = failed.slice(1, -1);
    offset = 1;
    simple = false;
  } else if (failed.startsWith('urn:uuid:')) {
    inner = failed.slice(9);
    offset = 9;
    simple = false;
  }
  const hyphenAt: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i] as string;
    if (c === '-') hyphenAt.push(i);
    else if (!hex.test(c)) {
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${c}\` at ${i + offset + 1}`;
    }
  }
  if (hyphenAt.length === 0 && simple) return `invalid length: expected length 32 for simple format, found ${failed.length}`;
  if (hyphenAt.length !== 4) return `invalid group count: expected 5, found ${hyphenAt.length + 1}`;
  for (let g = 0; g < 4; g++) {
    const at = hyphenAt[g] as number;
    if (at !== (groupStarts[g + 1] as number) - 1) {
      return `invalid group length in group ${g}: expected ${groupLengths[g]}, found ${at - (groupStarts[g] as number)}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${failed.length - 24}`;
}

/** The canonical lower-case hyphenated uuid, or the reason the text is not one. */
export function parseUuid(text: string): { ok: true; uuid: string } | { ok: false; error: string } {
  let parsed: string | undefined;
  let failed = text;
  if (text.length === 32 && [...text].every((c) => hex.test(c))) parsed = canonical(text);
  else if (text.length === 36) parsed = hyphenated(text);
  else if (text.length === 38 && text.startsWith('{') && text.endsWith('}')) {
    failed = text.slice(1, 37);
    parsed = hyphenated(failed);
  } else if (text.length === 45 && text.startsWith('urn:uuid:')) {
    failed = text.slice(9);
    parsed = hyphenated(failed);
  }
  return parsed ? { ok: true, uuid: parsed } : { ok: false, error: explain(failed) };
}
