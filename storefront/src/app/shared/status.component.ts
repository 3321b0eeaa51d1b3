import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** The loading and error states, announced politely to screen readers. */
@Component({
  selector: 'app-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loading()) { <p class="status" role="status">Loading…</p> }
    @if (error(); as message) { <p class="status error" role="alert">{{ message }}</p> }
  `,
})
export class StatusComponent {
  readonly loading = input(false);
  readonly error = input<string | null>(null);
}
