import { afterNextRender, inject } from '@angular/core';
import { Router } from '@angular/router';

/** Resolves in a later task: what follows runs in a task of its own, and the browser may paint and
 *  handle input in between. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}

/**
 * Start-up in stages, each in a task of its own rather than one long task (Lighthouse's total
 * blocking time counts each task's time past 50 ms; docs/storefront.md, "Performance"): the root
 * component is created in the task after the injector's (this initializer's promise), and the
 * first route is resolved and its page created in the task after the shell's first render (the
 * router is provided with `withDisabledInitialNavigation()`). The scripts are evaluated in a task
 * before all of these (`main.ts`).
 */
export function startInStages(): Promise<void> {
  const router = inject(Router);
  afterNextRender(() => void nextTask().then(() => router.initialNavigation()));
  return nextTask();
}
