import { randomBytes } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { decryptLarkPayload, LarkDecryptError } from '../../../src/platform/lark/decrypt';
import { encryptLarkPayload } from '../../helpers/fake-lark-server';

describe('decryptLarkPayload', () => {
  test('reads the example of Lark’s documentation, and Chinese text encrypted as Lark does', () => {
    // From Lark's "Encrypt Key" guide: the key "test key" and its ciphertext of "hello world".
    expect(decryptLarkPayload('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
    const plain = JSON.stringify({ text: '信访登记：张三，身份证 441823199001016012' });
    expect(decryptLarkPayload(encryptLarkPayload(plain, 'my-key'), 'my-key')).toBe(plain);
    expect(decryptLarkPayload(encryptLarkPayload(plain, 'another-key'), 'another-key')).toBe(plain);
  });

  test('a wrong key, a truncated or a non-ciphertext value throws LarkDecryptError', () => {
    // A fixed IV: with a random one, about one wrong key in 256 still ends in valid padding (the
    // webhook then refuses the JSON instead), which made this test fail now and then.
    const enc = encryptLarkPayload('{"a":1}', 'my-key', Buffer.alloc(16, 7));
    expect(() => decryptLarkPayload(enc, 'other-key')).toThrow(LarkDecryptError);
    expect(() => decryptLarkPayload(enc.slice(0, 20), 'my-key')).toThrow(LarkDecryptError);
    expect(() => decryptLarkPayload('not base64 at all!', 'my-key')).toThrow(LarkDecryptError);
    expect(() => decryptLarkPayload(Buffer.alloc(16, 7).toString('base64'), 'my-key')).toThrow(LarkDecryptError); // the IV alone
  });

  test('reads whatever the SDK’s AESCipher reads, to the same text (lengths around the block size, Chinese split across blocks)', () => {
    for (let n = 0; n < 70; n++) {
      const plain = JSON.stringify({ n, text: '信访'.repeat(n % 9) + 'x'.repeat(n) });
      const key = `key-${n}`;
      const enc = encryptLarkPayload(plain, key);
      expect(decryptLarkPayload(enc, key)).toBe(new AESCipher(key).decrypt(enc));
      expect(decryptLarkPayload(enc, key)).toBe(plain);
    }
    // Not whole blocks after the IV: refused, as the SDK's cipher refuses it.
    const cut = Buffer.concat([Buffer.from(encryptLarkPayload('{"a":1}', 'k'), 'base64'), randomBytes(5)]).toString('base64');
    expect(() => new AESCipher('k').decrypt(cut)).toThrow();
    expect(() => decryptLarkPayload(cut, 'k')).toThrow(LarkDecryptError);
  });
});
