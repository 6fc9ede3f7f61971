/**
 * Why an address is not a valid pydantic `EmailStr`, in python-email-validator's words (pydantic
 * calls it with `check_deliverability=False`). The ASCII syntax rules are followed in the library's
 * order; quoted local parts and the `Name <addr>` form are not supported (they fail as invalid
 * characters), and non-ASCII characters are left to core's stricter address rule.
 */

const ATEXT = "a-zA-Z0-9_!#$%&'*+\\-/=?^`{|}~";
const NON_ASCII = '\\u0080-\\u{10FFFF}';
const dotAtom = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`, 'u');
const localChar = new RegExp(`[${ATEXT}.${NON_ASCII}]`, 'u');
const hostChar = new RegExp(`[a-zA-Z0-9.\\-${NON_ASCII}]`, 'u');
const reservedLdh = /^(?!xn)..--/i;
const endsWithLetter = /[A-Za-z]$/;

const PYDANTIC_MAX_LENGTH = 2048;
const EMAIL_MAX_LENGTH = 254;
const LOCAL_MAX_LENGTH = 64;
const DOMAIN_MAX_LENGTH = 253;
const LABEL_MAX_LENGTH = 63;
/** email_validator's SPECIAL_USE_DOMAIN_NAMES */
const specialUseDomains = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];

/** Python's repr-like display of a rejected character (email_validator's safe_character_display). */
function display(c: string): string {
  if (c === '\\') return '"\\"';
  if (c === "'") return `"'"`;
  if (c === ' ') return 'SPACE';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${c}'`;
}

function badCharacters(text: string, allowed: RegExp): string | undefined {
  const bad = [...new Set([...text].filter((c) => !allowed.test(c)).map(display))].sort();
  return bad.length > 0 ? bad.join(', ') : undefined;
}

const tooMany = (length: number, limit: number) => {
  const diff = length - limit;
  return `(${diff} character${diff > 1 ? 's' : ''} too many)`;
};

function localPartProblem(local: string): string | undefined {
  if (local.length === 0) return 'There must be something before the @-sign.';
  if ([...local].length > LOCAL_MAX_LENGTH)
    return `The email address is too long before the @-sign ${tooMany([...local].length, LOCAL_MAX_LENGTH)}.`;
  if (dotAtom.test(local)) return undefined;
  const bad = badCharacters(local, localChar);
  if (bad) return `The email address contains invalid characters before the @-sign: ${bad}.`;
  if (local.endsWith('.')) return 'An email address cannot have a period immediately before the @-sign.';
  if (local.startsWith('.')) return 'An email address cannot start with a period.';
  if (local.includes('..')) return 'An email address cannot have two periods in a row.';
  return undefined;
}

function domainProblem(raw: string): string | undefined {
  if (raw.length === 0) return 'There must be something after the @-sign.';
  const bad = badCharacters(raw, hostChar);
  if (bad) return `The part after the @-sign contains invalid characters: ${bad}.`;
  const domain = raw.toLowerCase();
  if (domain.endsWith('.')) return 'An email address cannot end with a period.';
  if (domain.startsWith('.')) return 'An email address cannot have a period immediately after the @-sign.';
  if (domain.includes('..')) return 'An email address cannot have two periods in a row.';
  if (domain.endsWith('-')) return 'An email address cannot end with a hyphen.';
  if (domain.startsWith('-')) return 'An email address cannot have a hyphen immediately after the @-sign.';
  if (domain.includes('.-') || domain.includes('-.')) return 'An email address cannot have a period and a hyphen next to each other.';
  const labels = domain.split('.');
  if (labels.some((l) => reservedLdh.test(l))) {
    return 'An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.';
  }
  if (domain.length > DOMAIN_MAX_LENGTH)
    return `The email address is too long after the @-sign ${tooMany(domain.length, DOMAIN_MAX_LENGTH)}.`;
  const longLabel = labels.find((l) => l.length > LABEL_MAX_LENGTH);
  if (longLabel)
    return `After the @-sign, periods cannot be separated by so many characters ${tooMany(longLabel.length, LABEL_MAX_LENGTH)}.`;
  if (!domain.includes('.')) return 'The part after the @-sign is not valid. It should have a period.';
  if (!endsWithLetter.test(domain)) return 'The part after the @-sign is not valid. It is not within a valid top-level domain.';
  if (specialUseDomains.some((d) => domain === d || domain.endsWith(`.${d}`))) {
    return 'The part after the @-sign is a special-use or reserved name that cannot be used with email.';
  }
  return undefined;
}

/** The reason `value` is not an `EmailStr`, or undefined when it is one. */
export function emailProblem(value: string): string | undefined {
  if (value.length > PYDANTIC_MAX_LENGTH) return `Length must not exceed ${PYDANTIC_MAX_LENGTH} characters`;
  const at = value.indexOf('@');
  if (at < 0) return 'An email address must have an @-sign.';
  const problem = localPartProblem(value.slice(0, at)) ?? domainProblem(value.slice(at + 1));
  if (problem) return problem;
  const length = [...value].length;
  if (length > EMAIL_MAX_LENGTH) return `The email address is too long ${tooMany(length, EMAIL_MAX_LENGTH)}.`;
  return undefined;
}
