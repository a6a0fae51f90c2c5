/** A fixed-capacity ring of the latest items: push is O(1) and never allocates once full. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.length < this.capacity) this.length++;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.length === 0
      ? undefined
      : this.items[(this.next - 1 + this.capacity) % this.capacity];
  }

  /** Every item, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.next - this.length + this.capacity) % this.capacity;
    for (let i = 0; i < this.length; i++) out.push(this.items[(start + i) % this.capacity] as T);
    return out;
  }
}
