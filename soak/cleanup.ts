/**
 * Teardown steps registered as things start, run in reverse order exactly once: at the end of
 * a run, on failure, or on Ctrl-C / SIGTERM. A step that fails or hangs does not stop the rest.
 */
const STEP_TIMEOUT_MS = 30_000;

export class Cleanup {
  readonly #steps: { name: string; run: () => unknown }[] = [];
  #running: Promise<void> | null = null;

  add(name: string, run: () => unknown): void {
    this.#steps.push({ name, run });
  }

  run(log: (line: string) => void): Promise<void> {
    this.#running ??= (async () => {
      for (const step of this.#steps.splice(0).reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS);
        });
        try {
          await Promise.race([Promise.resolve().then(step.run), timeout]);
        } catch (error) {
          log(`cleanup: ${step.name} failed: ${error instanceof Error ? error.message : error}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.#running;
  }
}
