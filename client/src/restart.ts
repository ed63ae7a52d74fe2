/**
 * When the server process dies: restart it after a growing delay, tell the user
 * once, and give up (with one more message) if it keeps dying.
 */

export interface RestartDecision {
  /** Milliseconds to wait before starting the server again; undefined: give up. */
  delayMs?: number;
  /** A message to show the user now, if any (at most one per episode and one on giving up). */
  message?: string;
}

export interface RestartOptions {
  /** Delay before the first restart. */
  initialDelayMs: number;
  /** Upper bound of the delay. */
  maxDelayMs: number;
  /** Crashes inside `windowMs` after which restarting stops. */
  maxCrashes: number;
  windowMs: number;
}

export const DEFAULT_RESTART: RestartOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 3 * 60_000,
};

export class RestartPolicy {
  private crashes: number[] = [];
  private told = false;

  constructor(
    private readonly options: RestartOptions = DEFAULT_RESTART,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called when the server stopped without being asked to. */
  crashed(): RestartDecision {
    const time = this.now();
    this.crashes = this.crashes.filter((at) => time - at < this.options.windowMs);
    if (this.crashes.length === 0) {
      this.told = false; // a new episode after a quiet while: tell again, once
    }
    this.crashes.push(time);
    const count = this.crashes.length;
    if (count > this.options.maxCrashes) {
      this.crashes = [];
      this.told = false;
      return {
        message:
          `The Prompt Coach server stopped ${count} times in a short while and is not restarted again. ` +
          'See the output channel for the cause, then run "Prompt Coach: Restart Server".',
      };
    }
    const delayMs = Math.min(this.options.initialDelayMs * 2 ** (count - 1), this.options.maxDelayMs);
    if (this.told) {
      return { delayMs };
    }
    this.told = true;
    return {
      delayMs,
      message: 'The Prompt Coach server stopped unexpectedly; restarting it. Details are in the output channel.',
    };
  }

  /** The user restarted by hand or the server ran well for a while: forget past crashes. */
  reset(): void {
    this.crashes = [];
    this.told = false;
  }
}
