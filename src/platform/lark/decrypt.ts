import { createDecipheriv, createHash } from 'node:crypto';

export class LarkDecryptError extends Error {}

const keys = new Map<string, Buffer>();

/** sha256 of the encrypt key, once per key. */
function keyFor(encryptKey: string): Buffer {
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
 * ciphertext with PKCS#7 padding, key = sha256(encrypt key), plaintext UTF-8. This is what the
 * SDK's AESCipher does (the tests check both agree), on buffers: the SDK converts the
 * ciphertext to hex and back, which cost more than the decryption itself on every webhook
 * request. Anything that is not such a ciphertext (a wrong key, a truncated value, not base64)
 * throws LarkDecryptError. Lark's side, the encryption, is in the tests' fake server.
 */
export function decryptLarkPayload(encrypt: string, encryptKey: string): string {
  const bytes = Buffer.from(encrypt, 'base64');
  // The IV and at least one block; CBC ciphertext is whole blocks.
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new LarkDecryptError('cannot decrypt');
  try {
    const decipher = createDecipheriv('aes-256-cbc', keyFor(encryptKey), bytes.subarray(0, 16));
    const head = decipher.update(bytes.subarray(16));
    const tail = decipher.final();
    return tail.length ? Buffer.concat([head, tail]).toString('utf8') : head.toString('utf8');
  } catch {
    throw new LarkDecryptError('cannot decrypt');
  }
}
