import { HttpErrorResponse } from '@angular/common/http';

/** Field name (dotted for nested ones: ``shippingAddress.street``) to its first message. */
export type FieldErrors = Record<string, string>;

export interface ProblemSummary {
  message: string;
  fields: FieldErrors;
  status: number;
}

/** ``variants`` + ``1`` → ``variants[1]``: a list item's errors are named as the API's rules name them
 *  (``variants[1].sku``), whether the schema or a rule refused them. */
function path(prefix: string, key: string): string {
  if (!prefix) return key;
  return /^\d+$/.test(key) ? `${prefix}[${key}]` : `${prefix}.${key}`;
}

function flatten(errors: unknown, prefix: string, into: FieldErrors): void {
  if (Array.isArray(errors)) {
    if (errors.length && prefix) into[prefix] ??= String(errors[0]);
    return;
  }
  if (errors && typeof errors === 'object') {
    for (const [key, value] of Object.entries(errors)) flatten(value, path(prefix, key), into);
  }
}

/** What a failed call means to the shopper: a problem+json answer's detail and its ``errors``
 *  mapped to the fields they name; a network failure as one sentence. */
export function describeProblem(error: unknown): ProblemSummary {
  if (!(error instanceof HttpErrorResponse)) return { message: 'Something went wrong.', fields: {}, status: 0 };
  if (error.status === 0) return { message: 'The shop cannot be reached. Check your connection.', fields: {}, status: 0 };
  const body = (error.error && typeof error.error === 'object' ? error.error : {}) as Record<string, unknown>;
  const fields: FieldErrors = {};
  flatten(body['errors'], '', fields);
  const message = typeof body['detail'] === 'string' ? body['detail'] : typeof body['title'] === 'string'
    ? body['title'] : `The request failed (${error.status}).`;
  return { message, fields, status: error.status };
}
