import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class LarkDecryptError extends Error {}

const keys = new Map<string, Buffer>();

/** AES-256 key: sha256 of the encrypt key. */
function aesKey(encryptKey: string): Buffer {
  let k = keys.get(encryptKey);
  if (!k) {
    k = createHash('sha256').update(encryptKey, 'utf8').digest();
    if (keys.size > 8) keys.clear();
    keys.set(encryptKey, k);
  }
  return k;
}

/**
 * Decrypts the `encrypt` field of a Lark request: base64 of IV (16 bytes) + AES-256-CBC
 * ciphertext with PKCS#7 padding, key = sha256(encrypt key). Throws LarkDecryptError on
 * anything that is not such a ciphertext.
 */
export function decryptLarkPayload(encrypt: string, encryptKey: string): string {
  const buf = Buffer.from(encrypt, 'base64');
  if (buf.length < 32 || (buf.length - 16) % 16 !== 0) throw new LarkDecryptError('ciphertext has the wrong length');
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), buf.subarray(0, 16));
    return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    throw new LarkDecryptError('cannot decrypt');
  }
}

/** The reverse, as Lark does it: for tests, benchmarks and the fake server. */
export function encryptLarkPayload(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}
