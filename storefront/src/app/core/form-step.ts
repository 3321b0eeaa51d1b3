import { signal } from '@angular/core';
import { FieldErrors, describeProblem } from './problem';

/**
 * One form's round trip to the API: busy while it runs, then either what to tell the user
 * (``done``) or the refusal — its message and the fields it names, shown beside them.
 */
export class FormStep {
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly fieldErrors = signal<FieldErrors>({});
  /** What to tell the user once the step worked. */
  readonly done = signal<string | null>(null);

  /** Runs ``step``, whose answer is the message to show; true once it worked. */
  async run(step: () => Promise<string>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    this.fieldErrors.set({});
    this.done.set(null);
    try {
      this.done.set(await step());
      return true;
    } catch (error) {
      const problem = describeProblem(error);
      this.fieldErrors.set(problem.fields);
      this.error.set(problem.message);
      return false;
    } finally {
      this.busy.set(false);
    }
  }

  /** A refusal found before asking the API (two new passwords that differ), beside its field. */
  refuse(field: string, message: string): void {
    this.error.set(null);
    this.done.set(null);
    this.fieldErrors.set({ [field]: message });
  }
}
