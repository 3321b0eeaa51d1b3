import { FieldErrors, describeProblem } from '../core/problem';

/** The outcome of a form sent to the API: done, or the problem by field (and a message otherwise). */
export interface FormOutcome {
  ok: boolean;
  message: string | null;
  fields: FieldErrors;
}

/** A form that went through (or was not sent yet): nothing to show. */
export const NO_PROBLEM: FormOutcome = { ok: true, message: null, fields: {} };

/** A refused call as a form shows it: beside the fields the problem names, else as one message. */
export function refusal(error: unknown): FormOutcome {
  const problem = describeProblem(error);
  return { ok: false, message: Object.keys(problem.fields).length ? null : problem.message, fields: problem.fields };
}

/** Send a form's call; when it went through, ``reload`` what it changed before the form is told so. */
export async function sent(call: () => Promise<unknown>, reload: () => Promise<void>): Promise<FormOutcome> {
  try {
    await call();
  } catch (error) {
    return refusal(error);
  }
  await reload();
  return NO_PROBLEM;
}

/** What a table row shows after an action on it: nothing when it went through, else the refusal in one line. */
export function rowMessage(outcome: FormOutcome): string {
  return outcome.ok ? '' : Object.values(outcome.fields)[0] ?? outcome.message ?? '';
}
