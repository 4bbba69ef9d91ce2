// Internal to src/thoughtspot: the queue behind the concurrency cap (semaphore.ts) and the rate limiter
// (rate-limiter.ts). Both make callers wait their turn, and both must let a caller whose signal aborts leave the queue
// at once, without holding up the callers behind it.
//
// Turns are shared fairly between flows (a flow is one GraphQL request; see `CallContext.flow`). One request can
// cost a thousand upstream calls; in a single FIFO it would hold the client's whole rate budget for ten seconds while
// every other request's one call waited behind it. Here each flow has its own FIFO and the flows are served in turn
// (round-robin, one waiter per flow per round), so a flow with one waiting call is delayed by at most one turn per
// other waiting flow, however long their queues are. This is the unit-cost case of deficit round-robin (Shreedhar &
// Varghese, "Efficient Fair Queuing using Deficit Round Robin", SIGCOMM 1995).

import { onAbort } from './timers.js';

/** The flow of callers that name none: they share one FIFO, served in turn with the named flows. */
const ANONYMOUS_FLOW: object = Object.freeze({ name: 'anonymous' });

interface Waiter {
  readonly flow: Flow;
  readonly wake: () => void;
  previous: Waiter | null;
  next: Waiter | null;
}

interface Flow {
  readonly key: object;
  head: Waiter | null;
  tail: Waiter | null;
  size: number;
  /** Neighbours in the ring of flows that have waiters. */
  previous: Flow | null;
  next: Flow | null;
}

/**
 * Callers waiting for a turn, each wait abortable by its own signal: FIFO within a flow, round-robin between flows.
 * Every operation is O(1) except `aheadOf`, which is O(flows waiting).
 */
export class WaiterQueue {
  private readonly flows = new Map<object, Flow>();
  /** The ring of flows with waiters; `ringHead` is served next, and a served flow moves to the back. */
  private ringHead: Flow | null = null;
  private ringTail: Flow | null = null;
  private waiting = 0;

  /** Callers currently waiting, over all flows. */
  get length(): number {
    return this.waiting;
  }

  /** Flows with at least one caller waiting. */
  get flowCount(): number {
    return this.flows.size;
  }

  /**
   * Join the back of `flow`'s queue (synchronously, before this returns; a flow with no waiters joins the back of the
   * ring). The promise resolves when `wakeNext` reaches this caller, or rejects with the signal's reason if the signal
   * aborts first; the caller then leaves the queue.
   */
  wait(signal: AbortSignal, flow: object = ANONYMOUS_FLOW): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        flow: this.flowFor(flow),
        wake: () => {
          unsubscribe();
          resolve();
        },
        previous: null,
        next: null,
      };
      const unsubscribe = onAbort(signal, () => {
        this.remove(waiter);
        reject(signal.reason as Error);
      });
      this.append(waiter);
    });
  }

  /** Let the next caller go: the oldest waiter of the flow whose turn it is. Returns false when nobody was waiting. */
  wakeNext(): boolean {
    const flow = this.ringHead;
    const waiter = flow?.head;
    if (flow === null || waiter === undefined || waiter === null) return false;
    this.remove(waiter);
    // The flow had its turn: if it still has waiters it goes to the back of the ring, behind every other flow.
    if (flow.size > 0 && flow !== this.ringTail) {
      this.unlinkFlow(flow);
      this.linkFlowAtTail(flow);
    }
    waiter.wake();
    return true;
  }

  /**
   * How many callers would go before one joining `flow` now, if nobody else joined or left: the flow's own waiters,
   * plus, from every other flow, as many as it can send in the rounds before the newcomer's turn. The rate limiter
   * turns this into its expected wait.
   */
  aheadOf(flow: object = ANONYMOUS_FLOW): number {
    const own = this.flows.get(flow);
    const rounds = own?.size ?? 0;
    let ahead = rounds;
    // Flows ahead of `own` in the ring are served once more before it in the newcomer's round; a flow that is not
    // waiting yet would join at the back, so then every waiting flow is ahead of it.
    let beforeOwn = true;
    for (let current = this.ringHead; current !== null; current = current.next) {
      if (current === own) {
        beforeOwn = false;
        continue;
      }
      ahead += Math.min(current.size, rounds + (beforeOwn ? 1 : 0));
    }
    return ahead;
  }

  private flowFor(key: object): Flow {
    let flow = this.flows.get(key);
    if (flow === undefined) {
      flow = { key, head: null, tail: null, size: 0, previous: null, next: null };
      this.flows.set(key, flow);
      this.linkFlowAtTail(flow);
    }
    return flow;
  }

  private append(waiter: Waiter): void {
    const flow = waiter.flow;
    waiter.previous = flow.tail;
    if (flow.tail === null) flow.head = waiter;
    else flow.tail.next = waiter;
    flow.tail = waiter;
    flow.size += 1;
    this.waiting += 1;
  }

  /** Take a waiter out of its flow; a flow left empty leaves the ring and the map (no key is retained). */
  private remove(waiter: Waiter): void {
    const flow = waiter.flow;
    if (waiter.previous === null && flow.head !== waiter) return; // already removed
    if (waiter.previous === null) flow.head = waiter.next;
    else waiter.previous.next = waiter.next;
    if (waiter.next === null) flow.tail = waiter.previous;
    else waiter.next.previous = waiter.previous;
    waiter.previous = null;
    waiter.next = null;
    flow.size -= 1;
    this.waiting -= 1;
    if (flow.size === 0) {
      this.unlinkFlow(flow);
      this.flows.delete(flow.key);
    }
  }

  private linkFlowAtTail(flow: Flow): void {
    flow.previous = this.ringTail;
    flow.next = null;
    if (this.ringTail === null) this.ringHead = flow;
    else this.ringTail.next = flow;
    this.ringTail = flow;
  }

  private unlinkFlow(flow: Flow): void {
    if (flow.previous === null) this.ringHead = flow.next;
    else flow.previous.next = flow.next;
    if (flow.next === null) this.ringTail = flow.previous;
    else flow.next.previous = flow.previous;
    flow.previous = null;
    flow.next = null;
  }
}
