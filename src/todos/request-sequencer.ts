/**
 * The order the todo island's requests reach the server in, so the server applies changes in the
 * order the person made them.
 *
 * Item requests (create, update, delete one todo) go out at once, side by side. A bulk request
 * (mark all, clear completed) is a barrier: it waits until every request asked for before it has
 * been answered, and requests asked for after it wait until it is answered. "Before" and "after"
 * are the order of the calls, even within one tick. The store keeps its own rule on top (at most
 * one PATCH per todo in flight); this class knows nothing about todos.
 */
export class RequestSequencer {
  /** Requests asked for and not yet answered (sent, or waiting for a bulk request ahead of them). */
  private readonly outstanding = new Set<Promise<unknown>>();
  /** Settles once the latest bulk request is answered; null when none is waiting or under way. */
  private barrier: Promise<void> | null = null;
  private readonly onSettled: () => void;

  /** `onSettled` runs after each request is answered, once the caller's own continuation has run. */
  constructor(onSettled: () => void = () => {}) {
    this.onSettled = onSettled;
  }

  /** Sends an item request now, or once the bulk request ahead of it is answered. */
  send<T>(request: () => Promise<T>): Promise<T> {
    const barrier = this.barrier;
    return this.track(barrier ? barrier.then(request) : request());
  }

  /** Sends a bulk request after every request before it is answered; holds later ones until it is. */
  sendAlone<T>(request: () => Promise<T>): Promise<T> {
    const ahead = [...this.outstanding];
    const answer = this.track(Promise.allSettled(ahead).then(request));
    const barrier = answer.then(
      () => {},
      () => {},
    );
    this.barrier = barrier;
    void barrier.then(() => {
      if (this.barrier === barrier) this.barrier = null;
    });
    return answer;
  }

  /** Resolves once no bulk request is waiting or under way. */
  async waitForTurn(): Promise<void> {
    while (this.barrier) await this.barrier;
  }

  /** True while a request is unanswered or waits for its turn. */
  get busy(): boolean {
    return this.outstanding.size > 0;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.outstanding.add(promise);
    const settle = () => {
      this.outstanding.delete(promise);
      // After the caller's own continuation (which may change what "busy" means to it) has run.
      setTimeout(this.onSettled, 0);
    };
    promise.then(settle, settle);
    return promise;
  }
}
