import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { Address } from '../core/api/api.types';
import { FieldErrors } from '../core/problem';
import { FieldErrorComponent } from './field-error.component';

const ADDRESS_FIELDS: { name: keyof Address; label: string; autocomplete: string }[] = [
  { name: 'name', label: 'Full name', autocomplete: 'name' },
  { name: 'street', label: 'Street', autocomplete: 'address-line1' },
  { name: 'street2', label: 'Street (line 2)', autocomplete: 'address-line2' },
  { name: 'city', label: 'City', autocomplete: 'address-level2' },
  { name: 'state', label: 'State', autocomplete: 'address-level1' },
  { name: 'zipCode', label: 'ZIP code', autocomplete: 'postal-code' },
  { name: 'country', label: 'Country', autocomplete: 'country' },
  { name: 'phone', label: 'Phone', autocomplete: 'tel' },
];

/** The lines a form filled in (the empty ones left out: the API checks the rest). */
export function readAddress(form: FormData): Address {
  const address: Record<string, string> = {};
  for (const { name } of ADDRESS_FIELDS) {
    const value = String(form.get(name) ?? '').trim();
    if (value) address[name] = value;
  }
  return address as unknown as Address;
}

/** An address's inputs (ids ``<idPrefix>-<field>``), each with the API's message for it beside it
 *  (``errors`` keyed ``<errorPrefix><field>``, e.g. ``shippingAddress.zipCode``); ``countryChange``
 *  says the country typed, for a page that prices by destination. */
@Component({
  selector: 'app-address-fields',
  imports: [FieldErrorComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (field of fields; track field.name) {
      @let message = errors()[errorPrefix() + field.name];
      @let id = idPrefix() + '-' + field.name;
      <div class="field">
        <label [for]="id">{{ field.label }}</label>
        <input [id]="id" [name]="field.name" [attr.autocomplete]="field.autocomplete"
               (change)="field.name === 'country' && countryChange.emit($any($event.target).value.trim())"
               [attr.aria-invalid]="message ? 'true' : null" [attr.aria-describedby]="message ? id + '-error' : null" />
        <app-field-error [id]="id + '-error'" [message]="message" />
      </div>
    }
  `,
})
export class AddressFieldsComponent {
  readonly idPrefix = input.required<string>();
  readonly errorPrefix = input('');
  readonly errors = input<FieldErrors>({});
  readonly countryChange = output<string>();
  protected readonly fields = ADDRESS_FIELDS;
}
