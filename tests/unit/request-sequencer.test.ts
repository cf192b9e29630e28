/**
 * The todo island's request order (src/todos/request-sequencer.ts) on its own: item requests go
 * out side by side, a bulk request waits for everything sent before it and holds everything asked
 * for after it, whether the requests succeed or fail.
 */
import { describe, expect, it } from 'vitest';
import { RequestSequencer } from '#todos/request-sequencer.ts';

/** A request the test answers by hand; `started` says whether the sequencer has sent it. */
function request(name: string, log: string[]) {
  let resolve!: (value: string) => void;
  let reject!: (error: Error) => void;
  const state = { started: false };
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  const send = () => {
    state.started = true;
    log.push(`sent ${name}`);
    return promise;
  };
  return { send, state, answer: () => resolve(name), fail: () => reject(new Error(name)) };
}

/** Lets pending continuations and zero-delay timers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('RequestSequencer', () => {
  it('sends item requests at once, side by side', async () => {
    const log: string[] = [];
    const sequencer = new RequestSequencer();
    const [a, b] = [request('a', log), request('b', log)];
    const answers = [sequencer.send(a.send), sequencer.send(b.send)];
    await settle();
    expect(log).toEqual(['sent a', 'sent b']);
    expect(sequencer.busy).toBe(true);
    b.answer();
    a.answer();
    expect(await Promise.all(answers)).toEqual(['a', 'b']);
    await settle();
    expect(sequencer.busy).toBe(false);
  });

  it.each([
    ['answered', 'answer'],
    ['failed', 'fail'],
  ] as const)('sends a bulk request only once every earlier request has %s', async (_label, outcome) => {
    const log: string[] = [];
    const sequencer = new RequestSequencer();
    const [a, b, bulk] = [request('a', log), request('b', log), request('bulk', log)];
    const sentA = sequencer.send(a.send).catch(() => 'a failed');
    const sentB = sequencer.send(b.send).catch(() => 'b failed');
    const sentBulk = sequencer.sendAlone(bulk.send);
    await settle();
    expect(bulk.state.started).toBe(false);
    a[outcome]();
    await settle();
    expect(bulk.state.started).toBe(false); // b is still out
    b[outcome]();
    await settle();
    expect(log).toEqual(['sent a', 'sent b', 'sent bulk']);
    bulk.answer();
    expect(await sentBulk).toBe('bulk');
    await Promise.all([sentA, sentB]);
  });

  it.each([
    ['answered', 'answer'],
    ['failed', 'fail'],
  ] as const)('holds requests asked for after a bulk request until it has %s', async (_label, outcome) => {
    const log: string[] = [];
    const sequencer = new RequestSequencer();
    const [bulk, later, nextBulk] = [request('bulk', log), request('later', log), request('next bulk', log)];
    const sentBulk = sequencer.sendAlone(bulk.send).catch(() => 'bulk failed');
    const sentLater = sequencer.send(later.send);
    const sentNext = sequencer.sendAlone(nextBulk.send);
    await settle();
    expect(log).toEqual(['sent bulk']);
    expect(sequencer.busy).toBe(true);
    bulk[outcome]();
    await settle();
    expect(log).toEqual(['sent bulk', 'sent later']);
    later.answer();
    await settle();
    expect(log).toEqual(['sent bulk', 'sent later', 'sent next bulk']);
    nextBulk.answer();
    expect(await Promise.all([sentBulk, sentLater, sentNext])).toEqual([
      outcome === 'answer' ? 'bulk' : 'bulk failed',
      'later',
      'next bulk',
    ]);
  });

  it('keeps the order of calls made in one tick: item, bulk, item, bulk, item', async () => {
    const log: string[] = [];
    const sequencer = new RequestSequencer();
    const requests = ['a', 'bulk 1', 'b', 'bulk 2', 'c'].map((name) => request(name, log));
    const answers = requests.map((r, i) => (i % 2 ? sequencer.sendAlone(r.send) : sequencer.send(r.send)));
    for (const step of [
      ['sent a'],
      ['sent a', 'sent bulk 1'],
      ['sent a', 'sent bulk 1', 'sent b'],
      ['sent a', 'sent bulk 1', 'sent b', 'sent bulk 2'],
      ['sent a', 'sent bulk 1', 'sent b', 'sent bulk 2', 'sent c'],
    ]) {
      await settle();
      expect(log).toEqual(step);
      requests[step.length - 1]!.answer();
    }
    expect(await Promise.all(answers)).toEqual(['a', 'bulk 1', 'b', 'bulk 2', 'c']);
  });

  it('waitForTurn resolves at once with no bulk request, and after it otherwise', async () => {
    const log: string[] = [];
    const sequencer = new RequestSequencer();
    await sequencer.waitForTurn();
    const bulk = request('bulk', log);
    const sentBulk = sequencer.sendAlone(bulk.send);
    let turn = false;
    void sequencer.waitForTurn().then(() => (turn = true));
    await settle();
    expect(turn).toBe(false);
    bulk.answer();
    await sentBulk;
    await settle();
    expect(turn).toBe(true);
  });

  it('calls onSettled after each answer, once the caller has seen it, and is no longer busy then', async () => {
    const log: string[] = [];
    const sequencer = new RequestSequencer(() => log.push(`settled, busy: ${sequencer.busy}`));
    const a = request('a', log);
    const sent = sequencer.send(a.send).then((value) => log.push(`caller saw ${value}`));
    await settle();
    a.answer();
    await sent;
    await settle();
    expect(log).toEqual(['sent a', 'caller saw a', 'settled, busy: false']);
  });
});
