import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ConsoleStore } from './console.store';

/** The console's frame: the pages this user may open on this site, and the page. */
@Component({
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="console">
      <nav class="console-nav" aria-label="Console">
        <p class="console-site">{{ store.site()?.name }} console</p>
        <ul>
          @for (page of store.pages(); track page.path) {
            <li><a [routerLink]="['/admin', page.path]" routerLinkActive="active">{{ page.label }}</a></li>
          }
        </ul>
      </nav>
      <section class="console-page"><router-outlet /></section>
    </div>
  `,
})
export class ConsoleShell {
  protected readonly store = inject(ConsoleStore);
}
