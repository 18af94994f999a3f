/** A binary heap: `pop()` returns the item that `before` orders first. */
export class Heap<T> {
  private readonly items: T[] = []

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length
  }

  push(item: T): void {
    const items = this.items
    let i = items.push(item) - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(items[i]!, items[parent]!)) break
      ;[items[i], items[parent]] = [items[parent]!, items[i]!]
      i = parent
    }
  }

  pop(): T | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length === 0 || last === undefined) return top
    items[0] = last
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let first = i
      if (left < items.length && this.before(items[left]!, items[first]!)) first = left
      if (right < items.length && this.before(items[right]!, items[first]!)) first = right
      if (first === i) return top
      ;[items[i], items[first]] = [items[first]!, items[i]!]
      i = first
    }
  }
}
