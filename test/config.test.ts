import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configKeys, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('applies defaults when the environment is empty', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('sqlite:./data/roster.db');
    expect(c.PORT).toBe(8080);
    expect(c.REGISTRATION).toBe('closed');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('coerces numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '9090', TRUST_PROXY: 'true' });
    expect(c.PORT).toBe(9090);
    expect(c.TRUST_PROXY).toBe(true);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['REGISTRATION', 'sometimes'],
    ['PUBLIC_URL', 'not a url'],
  ])('refuses %s=%s with one line naming the key', (key, value) => {
    let error: unknown;
    try {
      loadConfig({ [key]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(key);
    expect(message).not.toContain('\n');
  });

  it('documents every key in docs/configuration.md and .env.example', () => {
    const docs = readFileSync('docs/configuration.md', 'utf8');
    const example = readFileSync('.env.example', 'utf8');
    const exampleKeys = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    const docKeys = [...docs.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(exampleKeys).toEqual(configKeys);
    expect(docKeys).toEqual(configKeys);
  });
});
