/**
 * Prints the SHA-256 of an API key, the form API_KEYS stores (`name:role:<hash>[:limit]`), so the deployment's
 * configuration never holds a usable key. A new random key is made when none is given.
 *
 *   npx tsx services/api/scripts/hash-api-key.ts [key]
 */
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../src/security/authenticator';

const key = process.argv[2] ?? randomBytes(24).toString('base64url');
if (!process.argv[2]) console.log(`key:    ${key}`);
console.log(`sha256: ${hashApiKey(key)}`);
