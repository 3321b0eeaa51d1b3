import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

/** A console address this site or this user has no page for (a plugin not enabled, a missing permission). */
@Component({
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Not here</h1>
    <p>This site has no such console page, or your account may not use it.</p>
    <p><a routerLink="/admin">Back to the console</a></p>
  `,
})
export class NotHerePage {}
