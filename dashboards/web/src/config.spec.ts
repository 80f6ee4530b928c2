import { describe, expect, it } from 'vitest';
import { resolveConnection, STORAGE_KEYS } from './config';

function memory(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

describe('resolveConnection', () => {
  it('takes the query first and remembers it', () => {
    const storage = memory();
    expect(resolveConnection('?api=http://h:8080/&key=k1&kiosk=1', storage, undefined, 'http://o')).toEqual({
      apiUrl: 'http://h:8080',
      apiKey: 'k1',
      kiosk: true,
    });
    expect(storage.map.get(STORAGE_KEYS.apiKey)).toBe('k1');
    expect(resolveConnection('', storage, undefined, 'http://o')).toEqual({ apiUrl: 'http://h:8080', apiKey: 'k1', kiosk: false });
  });

  it('falls back to the build setting, then to the page origin, with no key', () => {
    expect(resolveConnection('', memory(), 'http://env', 'http://o').apiUrl).toBe('http://env');
    expect(resolveConnection('', memory(), undefined, 'http://o')).toEqual({ apiUrl: 'http://o', apiKey: null, kiosk: false });
  });
});
