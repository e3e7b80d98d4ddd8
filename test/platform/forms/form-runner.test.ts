import type { App } from '../../../src/app';
import type { Context } from '../../../src/platform/chat/router';
import type { Outgoing } from '../../../src/platform/chat/messages';
import { CONFLICT_REPLY, FormRunner } from '../../../src/platform/forms/form-runner';
import { petitionForm, PETITION_START_WORDS } from '../../../src/intake/petition-form';
import { Draft, DraftStore } from '../../../src/platform/forms/draft-store';
import { addUser, makeTestApp, readable } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';

/** A store where another replica saves the draft between our read and our write. */
class RacingStore extends DraftStore {
  race = false;
  override async get<S>(userId: string, chatId: string): Promise<Draft<S> | null> {
    const d = await super.get<S>(userId, chatId);
    if (d && this.race) {
      this.race = false;
      await super.save(d, { ...(d.state as object), otherReplica: true }, new Date(), 3600_000);
    }
    return d;
  }
}

describe.each(testDialects())('the form runner on $name', (dialect) => {
  let app: App;
  let store: RacingStore;
  let runner: FormRunner;
  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url });
    await addUser(app, 'yan', 'staff', { name: '张晓燕' });
    store = new RacingStore(app.core.db);
    runner = new FormRunner(app.core, store).register(petitionForm(app.core), PETITION_START_WORDS);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  const ctx = async (text: string): Promise<Context> => ({
    incoming: { kind: 'message', userId: 'yan', chatId: 'race', chatType: 'p2p', text },
    user: (await app.core.users.get('yan'))!,
    args: '',
    now: new Date(),
  });
  const turn = async (text: string): Promise<Outgoing[]> =>
    runner.middleware(app.router)(await ctx(text), async () => [{ type: 'text', text: '(passed on)' }]);

  test('a turn whose draft another replica saved meanwhile is not written, and the person is told', async () => {
    await runner.start(await ctx('登记'), 'petition');
    store.race = true;
    const r = await turn('王某某');
    expect(readable(r)).toBe(CONFLICT_REPLY);
    const d = await store.get<any>('yan', 'race');
    expect(d!.state.otherReplica).toBe(true);
    expect(d!.state.values.name).toBeUndefined();
    // The next turn reads the new version and goes through.
    expect(readable(await turn('王某某'))).toContain('身份证号');
  });

  test('without an open draft, a message passes on to the commands', async () => {
    await store.remove('yan', 'race');
    expect(readable(await turn('随便说说'))).toBe('(passed on)');
  });
});
