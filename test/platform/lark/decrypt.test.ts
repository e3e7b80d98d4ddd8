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
});
