import { AESCipher } from '@larksuiteoapi/node-sdk';

export class LarkDecryptError extends Error {}

const ciphers = new Map<string, AESCipher>();

/** One cipher per encrypt key: the SDK hashes the key when the cipher is made. */
function cipherFor(encryptKey: string): AESCipher {
  let c = ciphers.get(encryptKey);
  if (!c) {
    c = new AESCipher(encryptKey);
    if (ciphers.size > 8) ciphers.clear();
    ciphers.set(encryptKey, c);
  }
  return c;
}

/**
 * Decrypts the `encrypt` field of a Lark request: base64 of IV (16 bytes) + AES-256-CBC
 * ciphertext with PKCS#7 padding, key = sha256(encrypt key). The cipher is the SDK's AESCipher
 * (public API: exported by @larksuiteoapi/node-sdk and documented in its README as a tool
 * method); this adds only a cipher per key and one error for anything that is not such a
 * ciphertext (a wrong key, a truncated value, not base64): LarkDecryptError. Lark's side, the
 * encryption, is in the tests' fake server (the SDK has none).
 */
export function decryptLarkPayload(encrypt: string, encryptKey: string): string {
  try {
    return cipherFor(encryptKey).decrypt(encrypt);
  } catch {
    throw new LarkDecryptError('cannot decrypt');
  }
}
