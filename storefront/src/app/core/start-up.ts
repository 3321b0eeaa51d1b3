import { APP_BOOTSTRAP_LISTENER, EnvironmentProviders, inject, makeEnvironmentProviders,
         provideAppInitializer } from '@angular/core';
import { Router } from '@angular/router';

/** Resolves in a later task: what follows runs in a task of its own, and the browser may paint and
 *  handle input in between. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}

/**
 * Start-up in stages, each in a task of its own rather than one long task (Lighthouse's total
 * blocking time counts each task's time past 50 ms; docs/storefront.md, "Performance"): the root
 * component is created in a task after the injector's (an initializer that resolves in the next
 * task), and the first route is resolved and its page created in the task after the shell's first
 * render (the router is provided with `withDisabledInitialNavigation()`; a bootstrap listener runs
 * once the root component is drawn, so after every initializer, the session's restore included,
 * which the guards need). The scripts are evaluated in a task before all of these (`main.ts`).
 */
export function provideStartInStages(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideAppInitializer(nextTask),
    {
      provide: APP_BOOTSTRAP_LISTENER, multi: true,
      useFactory: () => {
        const router = inject(Router);
        return () => void nextTask().then(() => router.initialNavigation());
      },
    },
  ]);
}
