import { HttpParams } from '@angular/common/http';

/** A query object as URL parameters; empty values are left out. */
export function params(query: object): HttpParams {
  let result = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') result = result.set(key, String(value));
  }
  return result;
}
