import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners,
         provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, withComponentInputBinding, withDisabledInitialNavigation, withInMemoryScrolling } from '@angular/router';
import { ROUTES } from './app.routes';
import { authInterceptor } from './core/auth/auth.interceptor';
import { AuthStore } from './core/auth/auth.store';
import { focusHeadingOnNavigation } from './core/focus-heading';
import { provideStartInStages } from './core/start-up';

export const APP_CONFIG: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(ROUTES, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'enabled' }),
                  withDisabledInitialNavigation()),  // started by provideStartInStages
    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
    provideAppInitializer(() => inject(AuthStore).restore()),
    provideAppInitializer(focusHeadingOnNavigation),
    provideStartInStages(),
  ],
};
