import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { APP_CONFIG } from './app/app.config';
import { preloadLandingReads } from './app/catalog/landing-preload';
import { nextTask } from './app/core/start-up';

preloadLandingReads(document, location);
// Not in the task that evaluated the scripts: the start-up's stages each run in a task of their own.
nextTask().then(() => bootstrapApplication(App, APP_CONFIG)).catch((error) => console.error(error));
