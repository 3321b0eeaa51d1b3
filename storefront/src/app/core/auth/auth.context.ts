import { HttpContextToken } from '@angular/common/http';

/** Set on the sign-in, refresh and sign-out calls: a 401 there is an answer, not an expired token. */
export const WITHOUT_REFRESH = new HttpContextToken<boolean>(() => false);
