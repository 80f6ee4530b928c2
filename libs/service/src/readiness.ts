/**
 * What a service still waits for before it is ready (consumer joined, model loaded, migrations applied, …).
 * `/health/ready` answers 503 naming them until each has called `done()`.
 */
export class Readiness {
  private readonly waiting: Set<string>;

  constructor(waitFor: readonly string[] = []) {
    this.waiting = new Set(waitFor);
  }

  get isReady(): boolean {
    return this.waiting.size === 0;
  }

  get pending(): string[] {
    return [...this.waiting];
  }

  waitFor(what: string): void {
    this.waiting.add(what);
  }

  done(what: string): void {
    this.waiting.delete(what);
  }
}
