import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../src/restart';

describe('restart policy', () => {
  const options = { initialDelayMs: 1000, maxDelayMs: 8000, maxCrashes: 5, windowMs: 60_000 };

  it('backs off and tells the user once', () => {
    let now = 0;
    const policy = new RestartPolicy(options, () => now);
    const decisions = [1, 2, 3, 4, 5].map(() => {
      now += 100;
      return policy.crashed();
    });
    assert.deepEqual(
      decisions.map((d) => d.delayMs),
      [1000, 2000, 4000, 8000, 8000],
    );
    assert.equal(decisions.filter((d) => d.message !== undefined).length, 1);
    assert.match(decisions[0].message ?? '', /restarting/);
  });

  it('gives up after too many crashes in the window, with one message', () => {
    let now = 0;
    const policy = new RestartPolicy(options, () => now);
    for (let i = 0; i < 5; i += 1) {
      now += 10;
      policy.crashed();
    }
    now += 10;
    const last = policy.crashed();
    assert.equal(last.delayMs, undefined);
    assert.match(last.message ?? '', /not restarted again/);
  });

  it('starts over after a quiet while or a manual restart', () => {
    let now = 0;
    const policy = new RestartPolicy(options, () => now);
    policy.crashed();
    policy.crashed();
    now += 120_000;
    const later = policy.crashed();
    assert.equal(later.delayMs, 1000);
    assert.ok(later.message, 'a new episode is told again');
    policy.reset();
    assert.equal(policy.crashed().delayMs, 1000);
  });
});
