/**
 * The JSON Logic front-end: CVAT's operators compiled into filter trees, and every refusal with
 * CVAT's exact message. The expected strings of the CVAT-defined cases were produced by running
 * CVAT's JsonLogicFilter (v2.73.0) code under CPython on the same inputs.
 */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors.ts';
import { jsonLogicMessages, parseJsonLogic } from '../../src/core/query/json-logic.ts';
import type { FilterNode } from '../../src/core/query/model.ts';
import { pyFloatRepr, pyJsonLoads, pyRepr, pyStrRepr } from '../../src/core/query/python-json.ts';

const fields = { username: 'username', first_name: 'firstName', last_name: 'lastName', id: 'id', is_active: 'isActive' };
const parse = (text: string) => parseJsonLogic(text, { fields });

function refusal(text: string): string {
  try {
    parse(text);
  } catch (err) {
    const e = err as AppError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues[0]).toMatchObject({ field: 'filter', message: e.message });
    return e.message;
  }
  throw new Error(`accepted: ${text}`);
}

describe('JSON Logic → filter tree', () => {
  it('compiles every CVAT operator', () => {
    const cases: [string, FilterNode][] = [
      ['{"==":[{"var":"id"},1]}', { kind: 'cmp', field: 'id', op: '==', value: 1 }],
      ['{"<":[{"var":"id"},10]}', { kind: 'cmp', field: 'id', op: '<', value: 10 }],
      ['{">":[{"var":"username"},"m"]}', { kind: 'cmp', field: 'username', op: '>', value: 'm' }],
      ['{"<=":[{"var":"id"},3]}', { kind: 'cmp', field: 'id', op: '<=', value: 3 }],
      ['{">=":[{"var":"is_active"},true]}', { kind: 'cmp', field: 'isActive', op: '>=', value: true }],
      ['{"<=":[2,{"var":"id"},5]}', { kind: 'between', field: 'id', low: 2, high: 5 }],
      ['{"in":[{"var":"username"},["a","b"]]}', { kind: 'in', field: 'username', values: ['a', 'b'] }],
      ['{"in":["ad",{"var":"first_name"}]}', { kind: 'contains', field: 'firstName', value: 'ad', caseInsensitive: false }],
      ['{"var":"last_name"}', { kind: 'not', child: { kind: 'isNull', field: 'lastName' } }],
      ['{"!":{"==":[{"var":"id"},1]}}', { kind: 'not', child: { kind: 'cmp', field: 'id', op: '==', value: 1 } }],
      ['{"!!":{"==":[{"var":"id"},1]}}', { kind: 'cmp', field: 'id', op: '==', value: 1 }],
      [
        '{"and":[{"==":[{"var":"is_active"},true]},{"or":[{"var":"first_name"},{"==":[{"var":"id"},2]}]}]}',
        {
          kind: 'and',
          children: [
            { kind: 'cmp', field: 'isActive', op: '==', value: true },
            {
              kind: 'or',
              children: [
                { kind: 'not', child: { kind: 'isNull', field: 'firstName' } },
                { kind: 'cmp', field: 'id', op: '==', value: 2 },
              ],
            },
          ],
        },
      ],
    ];
    for (const [text, tree] of cases) expect(parse(text), text).toEqual(tree);
  });

  it('gives no filter for an empty parameter, as CVAT skips it', () => {
    expect(parse('')).toBeUndefined();
  });

  it('converts values the way Django prepares them for the field', () => {
    const value = (text: string) => (parse(text) as { value?: unknown; values?: unknown; low?: unknown; high?: unknown }) ?? {};
    expect(value('{"==":[{"var":"id"},"7"]}').value).toBe(7);
    expect(value('{"==":[{"var":"id"}," 1_000 "]}').value).toBe(1000);
    expect(value('{"==":[{"var":"id"},7.9]}').value).toBe(7); // int() truncates
    expect(value('{"<":[{"var":"id"},7.2]}').value).toBe(8); // `<` and `>=` round floats up
    expect(value('{">=":[{"var":"id"},7.2]}').value).toBe(8);
    expect(value('{">":[{"var":"id"},7.9]}').value).toBe(7);
    expect(value('{"==":[{"var":"id"},true]}').value).toBe(1);
    expect(value('{"==":[{"var":"id"},null]}').value).toBeNull(); // exact None → IS NULL
    expect(value('{"==":[{"var":"is_active"},"False"]}').value).toBe(false);
    expect(value('{"==":[{"var":"is_active"},1]}').value).toBe(true);
    expect(value('{"==":[{"var":"is_active"},"t"]}').value).toBe(true);
    expect(value('{"==":[{"var":"username"},5]}').value).toBe('5'); // CharField: str(value)
    expect(value('{"==":[{"var":"username"},5.0]}').value).toBe('5.0');
    expect(value('{"==":[{"var":"username"},true]}').value).toBe('True');
    expect(value('{"==":[{"var":"username"},["a"]]}').value).toBe("['a']");
    expect(value('{"in":[{"var":"id"},[1,"2",null,3.5]]}').values).toEqual([1, 2, 3]); // None dropped
    expect(value('{"in":[{"var":"username"},"ab"]}').values).toEqual(['a', 'b']); // Django iterates a string
    expect(value('{"in":[3,{"var":"username"}]}').value).toBe('3');
    expect(value('{"<=":[1.5,{"var":"id"},4.5]}')).toMatchObject({ low: 2, high: 4 });
    // repeated keys: the first position, the last value (Python's dict)
    expect(parse('{"==":[{"var":"id"},1],"==":[{"var":"id"},2]}')).toEqual({ kind: 'cmp', field: 'id', op: '==', value: 2 });
    // a rule with several keys: the first one decides, the rest are ignored
    expect(parse('{"var":"username","x":1}')).toEqual({ kind: 'not', child: { kind: 'isNull', field: 'username' } });
  });

  it("answers CVAT's message for every refusal CVAT itself answers with 400", () => {
    const cases: [string, string][] = [
      ['{"==":[{"var":"email"},"a"]}', "filter: term 'email' is not supported"],
      ['{"in":[{"var":"email"}]}', "filter: term 'email' is not supported"],
      ['{"in":["ad",{"var":"email"}]}', "filter: term 'email' is not supported"],
      ['{"<=":[1,{"var":"email"},5]}', "filter: term 'email' is not supported"],
      ['{"==":[{"var":5},1]}', "filter: term '5' is not supported"],
      ['{"==":[{"var":true},1]}', "filter: term 'True' is not supported"],
      ['{"==":[{"var":null},1]}', "filter: term 'None' is not supported"],
      ['{"==":[{"var":1.5},1]}', "filter: term '1.5' is not supported"],
      ['{"==":[{"var":"constructor"},1]}', "filter: term 'constructor' is not supported"],
      ['{}', "filter shouldn't be empty"],
      ['[]', "filter shouldn't be empty"],
      ['0', "filter shouldn't be empty"],
      ['""', "filter shouldn't be empty"],
      ['null', "filter shouldn't be empty"],
      ['false', "filter shouldn't be empty"],
      ['{"x":[1,2]}', "filter: operation 'x' with arguments '[1, 2]' is not supported"],
      [
        '{"x":[1,2.0,"a\'b",true,null,{"k":[]}]}',
        "filter: operation 'x' with arguments '[1, 2.0, \"a'b\", True, None, {'k': []}]' is not supported",
      ],
      ['{"!=":[{"var":"id"},1]}', "filter: operation '!=' with arguments '[{'var': 'id'}, 1]' is not supported"],
      ['{"==":[{"var":"id"}]}', "filter: operation '==' with arguments '[{'var': 'id'}]' is not supported"],
      ['{"==":[{"var":"id"},1,2]}', "filter: operation '==' with arguments '[{'var': 'id'}, 1, 2]' is not supported"],
      ['{"a":1,"a":2}', "filter: operation 'a' with arguments '2' is not supported"],
      ['{"1":2,"x":3}', "filter: operation '1' with arguments '2' is not supported"],
      ['{"and":[]}', "filter: expected a non-empty list value, got '[]' of type 'list'"],
      ['{"and":{"a":1}}', "filter: expected a non-empty list value, got '{'a': 1}' of type 'dict'"],
      ['{"<=":"abc"}', "filter: expected a non-empty list value, got 'abc' of type 'str'"],
      ['{"<=":{"a":1,"b":2,"c":3}}', "filter: expected a non-empty list value, got '{'a': 1, 'b': 2, 'c': 3}' of type 'dict'"],
      ['{"or":[{"and":[]}]}', "filter: operation 'and' requires a non-empty list argument, got '[]' of type 'list'"],
      ['{"or":[{"and":5}]}', "filter: operation 'and' requires a non-empty list argument, got '5' of type 'int'"],
      ['{"or":[{"<=":"abc"}]}', "filter: operation '<=' requires a non-empty list argument, got 'abc' of type 'str'"],
      ['[1]', "filter: expected a non-empty dict value, got '[1]' of type 'list'"],
      ['5', "filter: expected a non-empty dict value, got '5' of type 'int'"],
      ['"abc"', "filter: expected a non-empty dict value, got 'abc' of type 'str'"],
      ['true', "filter: expected a non-empty dict value, got 'True' of type 'bool'"],
    ];
    for (const [text, message] of cases) expect(refusal(text), text).toBe(message);
  });

  it("answers Python's JSONDecodeError text for unparsable input", () => {
    const p = (m: string) => `filter: can't parse filter expression: ${m}`;
    const cases: [string, string][] = [
      ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
      ['[', 'Expecting value: line 1 column 2 (char 1)'],
      ['{"a"', "Expecting ':' delimiter: line 1 column 5 (char 4)"],
      ['{"a":', 'Expecting value: line 1 column 6 (char 5)'],
      ['{"a":1', "Expecting ',' delimiter: line 1 column 7 (char 6)"],
      ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
      ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
      ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
      ["{'a':1}", 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
      ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
      ['"ab\\qc"', 'Invalid \\escape: line 1 column 4 (char 3)'],
      ['"ab\\u12"', 'Invalid \\uXXXX escape: line 1 column 5 (char 4)'],
      ['"ab\\uZZZZ"', 'Invalid \\uXXXX escape: line 1 column 5 (char 4)'],
      ['"a\tb"', 'Invalid control character at: line 1 column 3 (char 2)'],
      ['   ', 'Expecting value: line 1 column 4 (char 3)'],
      ['x', 'Expecting value: line 1 column 1 (char 0)'],
      ['{"a":1} x', 'Extra data: line 1 column 9 (char 8)'],
      ['01', 'Extra data: line 1 column 2 (char 1)'],
      ['1.', 'Extra data: line 1 column 2 (char 1)'],
      ['{"a":-}', 'Expecting value: line 1 column 6 (char 5)'],
      ['tru', 'Expecting value: line 1 column 1 (char 0)'],
      ['{"==":[{"var":"id"},1]}\n{"b":2}', 'Extra data: line 2 column 1 (char 24)'],
      ['{"a":"😀😀", "b": x}', 'Expecting value: line 1 column 17 (char 16)'], // positions in code points
      ['\ufeff{"a":1}', 'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)'],
    ];
    for (const [text, message] of cases) expect(refusal(text), text).toBe(p(message));
  });

  it('answers 400 (not CVAT 500) for shapes CVAT indexes blindly, naming the operation', () => {
    const cases: [string, string][] = [
      ['{"in":[]}', "filter: operation 'in' with arguments '[]' is not supported"],
      ['{"in":{"a":1}}', "filter: operation 'in' with arguments '{'a': 1}' is not supported"],
      ['{"in":"ab"}', "filter: operation 'in' with arguments 'ab' is not supported"],
      ['{"in":[{"nope":1},[1]]}', "filter: operation 'in' with arguments '[{'nope': 1}, [1]]' is not supported"],
      ['{"in":[{"var":"id"},5]}', "filter: operation 'in' with arguments '[{'var': 'id'}, 5]' is not supported"],
      ['{"in":["5",{"var":"id"}]}', "filter: operation 'in' with arguments '['5', {'var': 'id'}]' is not supported"],
      ['{"==":"ab"}', "filter: operation '==' with arguments 'ab' is not supported"],
      ['{"==":5}', "filter: operation '==' with arguments '5' is not supported"],
      ['{"==":{"a":1,"b":2}}', "filter: operation '==' with arguments '{'a': 1, 'b': 2}' is not supported"],
      ['{"==":[5,1]}', "filter: operation '==' with arguments '[5, 1]' is not supported"],
      ['{"==":[{"x":1},1]}', "filter: operation '==' with arguments '[{'x': 1}, 1]' is not supported"],
      ['{"==":[{"var":["a"]},1]}', "filter: operation '==' with arguments '[{'var': ['a']}, 1]' is not supported"],
      ['{"var":5}', "filter: operation 'var' with arguments '5' is not supported"],
      ['{"var":["a",1]}', "filter: operation 'var' with arguments '['a', 1]' is not supported"],
      ['{"var":"email"}', "filter: term 'email' is not supported"],
      // CVAT's message builder crashes here (it formats `op` before assigning it)
      ['{"and":[1]}', "filter: operation 'and' requires a non-empty dict argument, got '1' of type 'int'"],
      ['{"!":5}', "filter: operation '!' requires a non-empty dict argument, got '5' of type 'int'"],
      ['{"!":{}}', "filter: operation '!' requires a non-empty dict argument, got '{}' of type 'dict'"],
    ];
    for (const [text, message] of cases) expect(refusal(text), text).toBe(message);
  });

  it('refuses values Django cannot convert, and hostile sizes, with Roster messages', () => {
    expect(refusal('{"==":[{"var":"id"},"abc"]}')).toBe(jsonLogicMessages.invalidValue('abc', 'id'));
    expect(refusal('{"==":[{"var":"id"},"1.5"]}')).toBe("filter: value '1.5' is not valid for term 'id'");
    expect(refusal('{"==":[{"var":"id"},1e400]}')).toBe("filter: value 'inf' is not valid for term 'id'");
    expect(refusal('{"==":[{"var":"id"},NaN]}')).toBe("filter: value 'nan' is not valid for term 'id'");
    expect(refusal('{"==":[{"var":"id"},99999999999]}')).toBe("filter: value '99999999999' is not valid for term 'id'");
    expect(refusal('{"==":[{"var":"id"},{"a":1}]}')).toBe("filter: value '{'a': 1}' is not valid for term 'id'");
    expect(refusal('{"<":[{"var":"id"},null]}')).toBe("filter: value 'None' is not valid for term 'id'");
    expect(refusal('{"==":[{"var":"is_active"},2]}')).toBe("filter: value '2' is not valid for term 'is_active'");
    expect(refusal('{"==":[{"var":"is_active"},"yes"]}')).toBe("filter: value 'yes' is not valid for term 'is_active'");
    expect(refusal('{"in":[null,{"var":"username"}]}')).toBe("filter: value 'None' is not valid for term 'username'");
    expect(refusal('{"<=":[null,{"var":"id"},3]}')).toBe("filter: value 'None' is not valid for term 'id'");
    expect(refusal(`{"==":[{"var":"username"},"${'x'.repeat(600)}"]}`)).toBe(
      jsonLogicMessages.outOfBounds('value is too long (at most 512 characters)'),
    );
    expect(refusal('{"==":[{"var":"username"},"a\\u0000b"]}')).toBe(
      jsonLogicMessages.outOfBounds('value contains characters that cannot be stored (NUL or a lone surrogate)'),
    );
    expect(refusal('{"==":[{"var":"username"},"\\ud800"]}')).toMatch(/cannot be stored/);
    expect(refusal(`{"in":[{"var":"id"},[${Array(501).fill(1).join(',')}]]}`)).toBe(
      jsonLogicMessages.outOfBounds('list has too many values (at most 500)'),
    );
    expect(refusal(`${'{"!":'.repeat(20)}{"var":"id"}${'}'.repeat(20)}`)).toBe(
      jsonLogicMessages.outOfBounds('expression is nested too deeply (at most 16 levels)'),
    );
    expect(refusal(`${'['.repeat(1000)}${']'.repeat(1000)}`)).toBe(
      jsonLogicMessages.outOfBounds('expression is nested too deeply (at most 16 levels)'),
    );
    const wide = `{"or":[${Array(300).fill('{"==":[{"var":"id"},1]}').join(',')}]}`;
    expect(refusal(wide)).toBe(jsonLogicMessages.outOfBounds('expression has too many terms (at most 256)'));
    expect(refusal(`"${'x'.repeat(9000)}"`)).toBe(jsonLogicMessages.tooLong(8192));
  });
});

describe("Python's JSON reading and printing", () => {
  it('prints floats, strings and containers as repr() does', () => {
    const floats: [number, string][] = [
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [123456789.123, '123456789.123'],
      [-0, '-0.0'],
      [2.5e20, '2.5e+20'],
      [0.1 + 0.2, '0.30000000000000004'],
      [Number.NaN, 'nan'],
      [Number.POSITIVE_INFINITY, 'inf'],
      [Number.NEGATIVE_INFINITY, '-inf'],
    ];
    for (const [x, s] of floats) expect(pyFloatRepr(x)).toBe(s);
    expect(pyStrRepr("it's")).toBe('"it\'s"');
    expect(pyStrRepr('say "hi"')).toBe('\'say "hi"\'');
    expect(pyStrRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pyStrRepr('tab\there\nnl\u0001é€😀\\\u00a0\u200b')).toBe("'tab\\there\\nnl\\x01é€😀\\\\\\xa0\\u200b'");
    expect(pyRepr(pyJsonLoads('{"a": [1, 2.0, true, null, {"b": "c"}], "x": 12345678901234567890123}'))).toBe(
      "{'a': [1, 2.0, True, None, {'b': 'c'}], 'x': 12345678901234567890123}",
    );
    expect(pyRepr(pyJsonLoads('[NaN, Infinity, -Infinity, 1e5, -0, -0.0, "\\ud83d\\ude00"]'))).toBe(
      "[nan, inf, -inf, 100000.0, 0, -0.0, '😀']",
    );
  });
});
