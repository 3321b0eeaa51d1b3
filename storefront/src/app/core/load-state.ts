import { describeProblem } from './problem';

/** What a page shows while its data arrives: the three states every page renders. */
export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'ready'; value: T }
  | { status: 'error'; message: string };

export const LOADING = { status: 'loading' } as const;

/** The value when ready, else ``fallback`` (for templates that draw an empty list meanwhile). */
export function valueOf<T, F>(state: LoadState<T>, fallback: F): T | F {
  return state.status === 'ready' ? state.value : fallback;
}

/** The message when the load failed, else null. */
export function errorOf(state: LoadState<unknown>): string | null {
  return state.status === 'error' ? state.message : null;
}

/** A call's outcome as a state: its value, or the problem's message for the shopper. */
export async function settle<T>(call: Promise<T>): Promise<LoadState<T>> {
  try {
    return { status: 'ready', value: await call };
  } catch (error) {
    return { status: 'error', message: describeProblem(error).message };
  }
}
