import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { FieldErrors } from '../core/problem';
import { FieldErrorComponent } from './field-error.component';

export interface TextField {
  name: string;
  label: string;
  autocomplete: string;
  type?: 'text' | 'email' | 'password';
  /** What the input shows at first (a saved value). */
  value?: string | null;
}

/** A form's inputs (ids ``<idPrefix>-<name>``), each labelled, with the API's message for it beside
 *  it (``errors`` keyed ``<errorPrefix><name>``, e.g. ``shippingAddress.zipCode``), referenced by
 *  the input's ``aria-describedby``. */
@Component({
  selector: 'app-text-fields',
  imports: [FieldErrorComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (field of fields(); track field.name) {
      @let message = errors()[errorPrefix() + field.name];
      @let id = idPrefix() + '-' + field.name;
      <div class="field">
        <label [for]="id">{{ field.label }}</label>
        <input [id]="id" [name]="field.name" [type]="field.type ?? 'text'" [attr.autocomplete]="field.autocomplete"
               [value]="field.value ?? ''"
               [attr.aria-invalid]="message ? 'true' : null" [attr.aria-describedby]="message ? id + '-error' : null" />
        <app-field-error [id]="id + '-error'" [message]="message" />
      </div>
    }
  `,
})
export class TextFieldsComponent {
  readonly idPrefix = input.required<string>();
  readonly fields = input.required<readonly TextField[]>();
  readonly errorPrefix = input('');
  readonly errors = input<FieldErrors>({});
}
