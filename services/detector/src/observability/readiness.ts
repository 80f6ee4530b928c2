/** What the detector still waits for before it is ready (consumer joined, model loaded, …). */
export class Readiness {
  private readonly waiting = new Set<string>(['consumer']);

  get isReady(): boolean {
    return this.waiting.size === 0;
  }

  get pending(): string[] {
    return [...this.waiting];
  }

  done(what: string): void {
    this.waiting.delete(what);
  }
}
