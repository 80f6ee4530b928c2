/**
 * Where the API is and which key to use, decided once at start-up from the page: `?api=` and `?key=` (then kept
 * in localStorage and removed from the address bar, so a wall display can be set up by one URL), else what
 * localStorage holds, else the build's VITE_VIGIL_API_URL, else the origin that served the app.
 */
export interface Connection {
  apiUrl: string;
  apiKey: string | null;
  kiosk: boolean;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const STORAGE_KEYS = { apiUrl: 'vigil.apiUrl', apiKey: 'vigil.apiKey' } as const;

export function resolveConnection(search: string, storage: KeyValueStore, envUrl: string | undefined, origin: string): Connection {
  const params = new URLSearchParams(search);
  const api = params.get('api');
  const key = params.get('key');
  if (api) storage.setItem(STORAGE_KEYS.apiUrl, api);
  if (key) storage.setItem(STORAGE_KEYS.apiKey, key);
  const apiUrl = (api ?? storage.getItem(STORAGE_KEYS.apiUrl) ?? envUrl ?? origin).replace(/\/+$/, '');
  return { apiUrl, apiKey: key ?? storage.getItem(STORAGE_KEYS.apiKey), kiosk: params.get('kiosk') === '1' };
}
