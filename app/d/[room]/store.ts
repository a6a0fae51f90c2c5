import { useSyncExternalStore } from 'react';

/**
 * A value that changes over time and tells subscribers when it does. The collaboration session
 * keeps its state in these (outside React), so only the leaf that shows a value re-renders, and
 * only when the value really changed: typing never re-renders the page.
 */
export class Store<T> {
  private value: T;
  private readonly listeners = new Set<() => void>();

  constructor(
    initial: T,
    private readonly equals: (a: T, b: T) => boolean = Object.is,
  ) {
    this.value = initial;
  }

  readonly get = (): T => this.value;

  set(next: T): void {
    if (this.equals(this.value, next)) return;
    this.value = next;
    for (const listener of [...this.listeners]) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const noSubscription = () => () => {};

/** Read a store in a component; `fallback` is used before the store exists (and on the server). */
export function useStore<T>(store: Store<T> | null | undefined, fallback: T): T {
  return useSyncExternalStore(
    store ? store.subscribe : noSubscription,
    store ? store.get : () => fallback,
    () => fallback,
  );
}
