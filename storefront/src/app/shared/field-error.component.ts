import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** A server's message for one field, next to it (referenced by the control's aria-describedby). */
@Component({
  selector: 'app-field-error',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // the id names the message, not this element: a static id="…" would otherwise stand twice in the page
  host: { '[attr.id]': 'null' },
  template: `@if (message()) { <span class="field-error" [id]="id()">{{ message() }}</span> }`,
})
export class FieldErrorComponent {
  readonly id = input.required<string>();
  readonly message = input<string | undefined>(undefined);
}
