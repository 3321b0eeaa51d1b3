import { DOCUMENT } from '@angular/common';
import { inject } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { filter } from 'rxjs';

/** After each navigation, move focus to the page's heading so a screen reader announces it. */
export function focusHeadingOnNavigation(): void {
  const router = inject(Router);
  const document = inject(DOCUMENT);
  let first = true;
  router.events.pipe(filter((event) => event instanceof NavigationEnd)).subscribe(() => {
    if (first) { first = false; return; }
    const focus = (attempts: number) => {
      const heading = document.querySelector<HTMLElement>('main h1');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
      else if (attempts > 0) setTimeout(() => focus(attempts - 1), 50);
    };
    setTimeout(() => focus(20));
  });
}
