// What the demo started, stopped in reverse order exactly once: at the end, on a failure, or on
// Ctrl-C (demo.mjs runs it from its signal handlers while a call may still be pending).
export class Cleanup {
  #steps = [];
  #done;

  /** Registers a step (sync or async); steps run last-added first. */
  add(step) {
    this.#steps.push(step);
  }

  /** Runs every step once, even when one throws; resolves with the errors. */
  run() {
    this.#done ??= (async () => {
      const errors = [];
      for (const step of this.#steps.reverse()) {
        try {
          await step();
        } catch (error) {
          errors.push(error);
        }
      }
      return errors;
    })();
    return this.#done;
  }
}
